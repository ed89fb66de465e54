import type { MqttClient } from 'mqtt';

/**
 * mqtt.js handles incoming packets strictly one at a time: the next PUBLISH is parsed
 * only after `handleMessage`'s callback has run and mqtt.js has written the PUBACK.
 * Deferring that callback until a database commit would therefore serialise ingest to
 * one message per transaction. Instead the ingest completes `handleMessage` at once with
 * DEFER_ACK (mqtt.js then skips its own PUBACK and moves on) and sends the PUBACK itself
 * after the batch holding the message has committed (MQTT 3.1.1 §4.3.2: the receiver
 * owns the message only once it sends PUBACK; until then the broker redelivers it).
 *
 * `_sendPacket` is mqtt.js's internal writer; `assertManualAckSupported` fails start-up
 * loudly if an mqtt.js upgrade removes it, rather than silently losing at-least-once.
 */
export const DEFER_ACK = new Error('ack deferred until commit');

interface PacketWriter {
  _sendPacket(packet: { cmd: 'puback'; messageId: number }, cb?: (err?: Error) => void): void;
}

export function assertManualAckSupported(client: MqttClient): void {
  if (typeof (client as unknown as Partial<PacketWriter>)._sendPacket !== 'function') {
    throw new Error('this mqtt.js version has no _sendPacket: manual PUBACK after commit is not possible');
  }
}

export function sendPuback(client: MqttClient, messageId: number): void {
  (client as unknown as PacketWriter)._sendPacket({ cmd: 'puback', messageId });
}
