import { describe, expect, it } from 'vitest';
import { formatPartNumber, hanBigrams, hasHan, parsePartQuery, searchTokens, shortChineseQuery, type PartQuery } from './part-number.domain.ts';

const exact = (digits: string): PartQuery => ({ kind: 'number', digits, exact: [digits], prefix: null });
const lostZero = (digits: string): PartQuery => ({ kind: 'number', digits, exact: [`0${digits}`], prefix: digits });

describe('parsePartQuery', () => {
  it.each<[string, string | undefined, PartQuery]>([
    ['plain 10 digits', '4711003000', exact('4711003000')],
    ['printed groups', '4711 0030 00', exact('4711003000')],
    ['dashes', '4711-0030-00', exact('4711003000')],
    ['dots', '4711.0030.00', exact('4711003000')],
    ['slashes and odd spacing', ' 4711 / 0030/00 ', exact('4711003000')],
    ['en dash and underscores', '4711–0030_00', exact('4711003000')],
    ['full-width digits and space (Chinese IME)', '４７１１　００３０　００', exact('4711003000')],
    ['full-width hyphen', '４７１１－００３０－００', exact('4711003000')],
    ['Chinese comma and full stop as separators', '4711，0030。00', exact('4711003000')],
    ['P/N label', 'P/N 4711-0030-00', exact('4711003000')],
    ['Part no. label', 'Part no. 4711 0030 00', exact('4711003000')],
    ['Chinese label', '零件号：4711003000', exact('4711003000')],
    ['hash label', '#4711003000', exact('4711003000')],
    ['leading zero kept', '0471 0102 00', exact('0471010200')],
    ['lost leading zero, printed', '661 0102 00', lostZero('661010200')],
    ['lost leading zero, plain', '661010200', lostZero('661010200')],
    ['prefix of four', '4711', { kind: 'prefix', digits: '4711' }],
    ['prefix with a space', '4822 1', { kind: 'prefix', digits: '48221' }],
    ['prefix with leading zero', '0481', { kind: 'prefix', digits: '0481' }],
    ['words', 'Oil Filter', { kind: 'text', text: 'oil filter' }],
    ['words with digits', 'oil filter 22 kW', { kind: 'text', text: 'oil filter 22 kw' }],
    ['full-width letters are folded', 'ＯＩＬ　ＦＩＬＴＥＲ', { kind: 'text', text: 'oil filter' }],
    ['Chinese words', '  油过滤器 ', { kind: 'text', text: '油过滤器' }],
    ['too many digits is not a number', '47110030001', { kind: 'text', text: '47110030001' }],
    ['empty', '   ', { kind: 'none' }],
    ['absent', undefined, { kind: 'none' }],
  ])('%s: %j', (_name, input, expected) => {
    expect(parsePartQuery(input)).toEqual(expected);
  });
});

describe('formatPartNumber', () => {
  it.each([
    ['4711003000', '4711 0030 00'],
    ['0471010200', '0471 0102 00'],
    ['4822300001', '4822 3000 01'],
  ])('%s → %s', (digits, printed) => {
    expect(formatPartNumber(digits)).toBe(printed);
  });
});

describe('Chinese helpers', () => {
  it('finds Han characters', () => {
    expect(hasHan('油过滤器')).toBe(true);
    expect(hasHan('oil filter 10 µm')).toBe(false);
  });
  it.each<[string, string[]]>([
    ['油滤器', ['油滤', '滤器']],
    ['空气滤芯', ['空气', '气滤', '滤芯']],
    ['阀 DN25', ['阀']],
    ['oil', []],
  ])('bigrams of %s', (text, bigrams) => {
    expect(hanBigrams(text)).toEqual(bigrams);
  });
});

describe('searchTokens', () => {
  it.each<[string, string[]]>([
    ['Oil filter spin-on, 10 µm', ['oil', 'filter', 'spin', 'on', '10', '\u03bcm']], // NFKC: micro sign → Greek mu,
    ['air/oil separator', ['air', 'oil', 'separator']],
    ['V-belt SPB 2000', ['belt', 'spb', '2000']],
    ['油滤器', ['油滤器', '油滤', '滤器']],
    ['最小压力阀 DN25，开启', ['最小压力阀', '最小', '小压', '压力', '力阀', 'dn25', '开启']],
    ['阀dn25', ['阀', 'dn25']],
  ])('%s', (text, tokens) => {
    expect(searchTokens(text)).toEqual(tokens);
  });
});

describe('shortChineseQuery', () => {
  it.each<[string, string | null]>([
    ['油', '油'],
    [' 阀 ', '阀'],
    ['滤芯', '滤芯'],
    ['滤 芯', '滤芯'],
    ['油过滤器', null],
    ['油 20', null],
    ['v带', null],
    ['oil', null],
    ['', null],
  ])('%s → %s', (text, expected) => expect(shortChineseQuery(text)).toBe(expected));
});
