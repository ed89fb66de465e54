import { describe, expect, it } from 'vitest';
import { connectedPayload, createTakeoverOrder, newNodeId, parseConnectedPayload } from './cluster-takeover.ts';

describe('cross-node takeover: announcements', () => {
  it('carries the device id and the node id, and nothing else parses', () => {
    const node = newNodeId();
    expect(node).toMatch(/^[0-9a-f]{12}$/);
    expect(newNodeId()).not.toBe(node);
    expect(parseConnectedPayload(connectedPayload('AF37-0001', node))).toEqual({ deviceId: 'AF37-0001', nodeId: node });
    for (const bad of ['', 'AF37-0001', 'AF37-0001 ', ' n1', 'a b c']) expect(parseConnectedPayload(bad)).toBeUndefined();
  });
});

describe('cross-node takeover: which connection is newer', () => {
  // Both nodes see the announcements in one order (commit order); the one announced last wins.
  it('another node announced after this node heard its own announcement back: the local connection is older', () => {
    const order = createTakeoverOrder();
    order.announcing('d1');
    order.settled('d1');
    expect(order.supersedesLocal('d1')).toBe(true);
  });

  it('another node announced while this node’s own announcement is still on its way: the local connection is newer', () => {
    const order = createTakeoverOrder();
    order.announcing('d1');
    expect(order.supersedesLocal('d1')).toBe(false);
    // The other device is unaffected.
    expect(order.supersedesLocal('d2')).toBe(true);
    order.settled('d1');
    expect(order.supersedesLocal('d1')).toBe(true);
  });

  it('counts repeated connections of one device until each is heard back', () => {
    const order = createTakeoverOrder();
    order.announcing('d1');
    order.announcing('d1');
    order.settled('d1');
    expect(order.supersedesLocal('d1')).toBe(false);
    order.settled('d1');
    expect(order.supersedesLocal('d1')).toBe(true);
    expect(order.inFlight).toBe(0);
    // A stray settle (an announcement sent while not listening) never goes negative.
    order.settled('d1');
    order.announcing('d1');
    expect(order.supersedesLocal('d1')).toBe(false);
  });

  it('forgets what was in flight when the listening connection is lost', () => {
    const order = createTakeoverOrder();
    order.announcing('d1');
    order.forgetAll();
    expect(order.supersedesLocal('d1')).toBe(true);
  });
});
