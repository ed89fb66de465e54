import {
  findModel,
  type MachineParts,
  type ModelParts,
  type Part,
  type PartHit,
  type PartLang,
  type NextService,
  type PartsSearchResponse,
} from '@airfleet/contracts';
import { formatPartNumber, hasHan, parsePartQuery, searchTokens, shortChineseQuery, type PartQuery } from './part-number.domain.ts';
import type { PartsRepository } from './parts.repository.ts';

export interface PartsSearchInput {
  q?: string;
  modelId?: string;
  serial?: string;
  lang: PartLang;
  limit: number;
}

export interface PartsServiceDeps {
  parts: PartsRepository;
  /** The machine's next service, as its maintenance plan defines it (one notion across the product). */
  nextService: (deviceId: string) => Promise<NextService | null>;
}

export function createPartsService({ parts, nextService }: PartsServiceDeps) {
  const ref = (n: string) => ({ number: n, printed: formatPartNumber(n) });
  const asPrefix = (h: PartHit): PartHit => (h.matchedBy === 'number' ? { ...h, matchedBy: 'prefix' } : h);

  /** Hits for these numbers, each resolved to its current part with the chain when superseded. */
  async function hitsFor(numbers: readonly string[], lang: PartLang, limit: number): Promise<PartHit[]> {
    const chains = await parts.resolve(numbers);
    const seen = new Set<string>();
    const wanted: Array<{ current: string; chain: string[]; asked: string }> = [];
    for (const asked of numbers) {
      const chain = chains.get(asked);
      if (!chain) continue;
      const current = chain[chain.length - 1]!;
      if (seen.has(current)) continue;
      seen.add(current);
      wanted.push({ current, chain, asked });
      if (wanted.length >= limit) break;
    }
    const loaded = new Map((await parts.load(wanted.map((w) => w.current), lang)).map((p) => [p.number, p]));
    return wanted.flatMap(({ current, chain }) => {
      const part = loaded.get(current);
      if (!part) return [];
      return [{ part, matchedBy: chain.length > 1 ? ('superseded' as const) : ('number' as const), chain: chain.length > 1 ? chain.map(ref) : [] }];
    });
  }

  interface ModelContext {
    parts: ModelParts;
    kitNumbers: Array<{ level: 'first' | 'A' | 'B' | 'C'; number: string }>;
    /** Kits, and the BOM's parts when asked for, loaded in one statement. */
    loaded: Map<string, Part>;
  }

  /** A model's BOM and kits: three reads in parallel, then one load of the parts shown. */
  async function modelContext(modelId: string, lang: PartLang, withBomParts: boolean): Promise<ModelContext | null> {
    const model = findModel(modelId);
    if (!model) return null;
    const [name, bom, kitNumbers] = await Promise.all([parts.modelName(modelId), parts.bom(modelId, lang), parts.kitNumbers(modelId)]);
    if (!name) return null;
    const numbers = [...new Set([...kitNumbers.map((k) => k.number), ...(withBomParts ? bom.map((b) => b.part.number) : [])])];
    const loaded = new Map((await parts.load(numbers, lang)).map((p) => [p.number, p]));
    return {
      kitNumbers,
      loaded,
      parts: {
        modelId,
        modelName: name,
        bom,
        kits: model.servicePlan.levels.map((level) => ({
          level: level.level,
          intervalHours: level.intervalHours,
          intervalMonths: level.intervalMonths,
          kits: kitNumbers.filter((k) => k.level === level.level).flatMap((k) => loaded.get(k.number) ?? []),
        })),
      },
    };
  }

  async function textHits(text: string, modelId: string | undefined, lang: PartLang, limit: number): Promise<PartHit[]> {
    const tokens = searchTokens(text);
    const zh = hasHan(text);
    const short = shortChineseQuery(text);
    // 油, 阀, 滤芯: a substring of the Chinese text; the word index needs at least a bigram of a run.
    let found = short ? await parts.searchChineseSubstring({ text: short, modelId, limit }) : [];
    if (found.length === 0) {
      // Half the words must match; in Chinese half the bigrams (a whole run rarely survives a typo).
      const counted = zh ? tokens.filter((t) => !hasHan(t) || [...t].length === 2).length : tokens.length;
      found = await parts.searchWords({ tokens, lang: zh ? 'zh' : 'en', phrase: text, minCovered: Math.max(1, Math.ceil(counted / 2)), modelId, limit });
    }
    const loaded = new Map((await parts.load(found.map((f) => f.number), lang)).map((p) => [p.number, p]));
    return found.flatMap((f) => {
      const part = loaded.get(f.number);
      return part ? [{ part, matchedBy: 'text' as const, chain: [] }] : [];
    });
  }

  async function queryHits(query: PartQuery, modelId: string | undefined, lang: PartLang, limit: number): Promise<PartHit[]> {
    switch (query.kind) {
      case 'number': {
        const hits = await hitsFor(query.exact, lang, limit);
        // Not a lost zero after all: the 9 digits may be the start of a number.
        if (hits.length === 0 && query.prefix) return (await hitsFor(await parts.byPrefix(query.prefix, limit * 2), lang, limit)).map(asPrefix);
        return hits;
      }
      case 'prefix':
        return (await hitsFor(await parts.byPrefix(query.digits, limit * 2), lang, limit)).map(asPrefix);
      case 'text':
        return textHits(query.text, modelId, lang, limit);
      case 'none':
        return [];
    }
  }

  return {
    async search(input: PartsSearchInput): Promise<PartsSearchResponse> {
      const query = parsePartQuery(input.q);
      const machineRow = input.serial ? await parts.machineBySerial(input.serial) : null;
      const modelId = input.modelId ?? machineRow?.modelId;
      const nextDue = machineRow ? nextService(machineRow.deviceId) : Promise.resolve(null);
      // The model's context and the query's hits do not depend on each other.
      const [context, hits] = await Promise.all([
        modelId ? modelContext(modelId, input.lang, query.kind === 'none') : Promise.resolve(null),
        queryHits(query, input.modelId, input.lang, input.limit),
      ]);

      let results = hits;
      if (query.kind === 'none' && context) {
        // A model (or a machine's model) alone: its kits first, then its BOM parts.
        const numbers = [...new Set([...context.kitNumbers.map((k) => k.number), ...context.parts.bom.map((b) => b.part.number)])].slice(0, input.limit);
        results = numbers.flatMap((n) => {
          const part = context.loaded.get(n);
          return part ? [{ part, matchedBy: 'model' as const, chain: [] }] : [];
        });
      }

      let machine: MachineParts | null = null;
      if (machineRow) {
        const next = await nextDue;
        machine = {
          serial: machineRow.serial,
          modelId: machineRow.modelId,
          nextService: next
            ? {
                level: next.level,
                includes: next.includes,
                dueInHours: next.dueInHours,
                dueInDays: next.dueInDays,
                overdue: next.overdue,
                kits: (context?.kitNumbers ?? []).filter((k) => k.level === next.level).flatMap((k) => context?.loaded.get(k.number) ?? []),
              }
            : null,
        };
      }
      return {
        interpretedAs: query.kind === 'none' ? 'none' : query.kind,
        digits: query.kind === 'number' || query.kind === 'prefix' ? query.digits : null,
        results,
        model: context?.parts ?? null,
        machine,
      };
    },

    /** `GET /api/parts/{number}`: an exact number (any spelling, a lost leading zero) → the current part. */
    async lookup(raw: string, lang: PartLang): Promise<PartHit | null> {
      const query = parsePartQuery(raw);
      if (query.kind !== 'number') return null;
      return (await hitsFor(query.exact, lang, 1))[0] ?? null;
    },
  };
}
export type PartsService = ReturnType<typeof createPartsService>;
