import type pg from 'pg';
import type { BomLine, KitItem, Part, PartCategory, PartLang } from '@airfleet/contracts';
import { formatPartNumber } from './part-number.domain.ts';

type Db = pg.Pool | pg.PoolClient;

/**
 * All parts SQL. Public reads select an explicit column list: `cost_price_eur` is never
 * selected, and `list_price_eur` only where `list_price_public` (the leak test walks the
 * JSON of every public answer to hold this).
 */

const NAME = (alias: string) => `CASE WHEN $2 = 'zh-CN' THEN ${alias}.name_zh ELSE ${alias}.name_en END`;
const DESCRIPTION = (alias: string) => `CASE WHEN $2 = 'zh-CN' THEN ${alias}.description_zh ELSE ${alias}.description_en END`;

interface PartRow {
  number: string;
  category: PartCategory;
  name: string;
  description: string;
  unit: Part['unit'];
  pack_size: number;
  weight_kg: number;
  list_price: string | null;
  fits: string[];
  replaces: string[];
  kit_model: string | null;
  kit_level: 'first' | 'A' | 'B' | 'C' | null;
  kit_items: Array<{ number: string; category: PartCategory; name: string; quantity: number; unit: KitItem['unit']; packSize: number }> | null;
}

function toPart(r: PartRow): Part {
  return {
    number: r.number,
    printed: formatPartNumber(r.number),
    category: r.category,
    name: r.name,
    description: r.description,
    unit: r.unit,
    packSize: r.pack_size,
    weightKg: r.weight_kg,
    listPrice: r.list_price === null ? null : { amount: Number(r.list_price), currency: 'EUR' },
    fits: r.fits,
    replaces: r.replaces.map((n) => ({ number: n, printed: formatPartNumber(n) })),
    kit:
      r.kit_model && r.kit_level
        ? {
            modelId: r.kit_model,
            level: r.kit_level,
            contents: (r.kit_items ?? []).map((i) => ({ ...i, printed: formatPartNumber(i.number) })),
          }
        : null,
  };
}

export interface TextHit {
  number: string;
  score: number;
}

export interface MachineServiceRow {
  /** Internal only: to read the machine's plan. The public answer never carries it. */
  deviceId: string;
  /** As registered (the query may have been typed differently). */
  serial: string;
  modelId: string;
}

/** A serial as compared: NFKC (full-width input), upper case, letters and digits only. */
export function serialKey(serial: string): string {
  return serial.normalize('NFKC').toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export function createPartsRepository(pool: pg.Pool) {
  return {
    /** Public shape of these parts (any status), in the order asked. */
    async load(numbers: readonly string[], lang: PartLang, db: Db = pool): Promise<Part[]> {
      if (numbers.length === 0) return [];
      const { rows } = await db.query<PartRow>(
        `SELECT p.number, p.category, ${NAME('p')} AS name, ${DESCRIPTION('p')} AS description,
                p.unit, p.pack_size, p.weight_kg,
                CASE WHEN p.list_price_public THEN p.list_price_eur END AS list_price,
                p.fits, p.replaces, k.model_id AS kit_model, k.level AS kit_level,
                CASE WHEN k.kit_number IS NOT NULL THEN (SELECT jsonb_agg(jsonb_build_object('number', i.part_number, 'category', ip.category, 'name', ${NAME('ip')},
                                                     'quantity', i.quantity, 'unit', ip.unit, 'packSize', ip.pack_size) ORDER BY i.line)
                   FROM service_kit_items i JOIN parts ip ON ip.number = i.part_number WHERE i.kit_number = p.number) END AS kit_items
           FROM parts p LEFT JOIN service_kits k ON k.kit_number = p.number
          WHERE p.number = ANY($1::bpchar[])`,
        [numbers, lang],
      );
      const byNumber = new Map(rows.map((r) => [r.number, toPart(r)]));
      return numbers.flatMap((n) => byNumber.get(n) ?? []);
    },

    /**
     * For each number that exists: the way to its current part, `[asked, …, current]`
     * (just `[asked]` when it is current). Supersessions are followed step by step.
     */
    async resolve(numbers: readonly string[], db: Db = pool): Promise<Map<string, string[]>> {
      if (numbers.length === 0) return new Map();
      const { rows } = await db.query<{ asked: string; chain: string[] }>(
        `WITH RECURSIVE chain(asked, number, depth) AS (
           SELECT p.number, p.number, 0 FROM parts p WHERE p.number = ANY($1::bpchar[])
           UNION ALL
           SELECT c.asked, s.new_number, c.depth + 1 FROM chain c JOIN part_supersessions s ON s.old_number = c.number WHERE c.depth < 20)
         SELECT asked, array_agg(number::text ORDER BY depth) AS chain FROM chain GROUP BY asked`,
        [numbers],
      );
      return new Map(rows.map((r) => [r.asked, r.chain]));
    },

    /** Numbers starting with these digits, current parts first. */
    async byPrefix(digits: string, limit: number, db: Db = pool): Promise<string[]> {
      const { rows } = await db.query<{ number: string }>(
        `SELECT number FROM parts WHERE number LIKE $1 ORDER BY superseded, number LIMIT $2`,
        [`${digits}%`, limit],
      );
      return rows.map((r) => r.number);
    },

    /**
     * Description search over the inverted word index. Each query word matches catalogue
     * words exactly or, in English, by pg_trgm similarity through the vocabulary (typos:
     * "fliter" → filter); a part scores by how many query words it covers, then by
     * closeness, the whole phrase, the phrase among its category words, the query words in
     * its name, and a name that starts with the first word. Current parts only; at least `minCovered` query words must match.
     */
    async searchWords(
      input: { tokens: readonly string[]; lang: 'en' | 'zh'; phrase: string; modelId?: string; limit: number; minCovered: number },
      db: Db = pool,
    ): Promise<TextHit[]> {
      if (input.tokens.length === 0) return [];
      const { rows } = await db.query<TextHit>(
        `WITH q AS MATERIALIZED (
           -- Only a word the catalogue does not know is looked up by similarity (English typos).
           SELECT t.word AS qword, t.i,
                  $2 = 'en' AND length(t.word) >= 3 AND t.word !~ '[0-9]'
                  AND NOT EXISTS (SELECT 1 FROM part_vocabulary e WHERE e.lang = $2 AND e.word = t.word) AS fuzzy
             FROM unnest($1::text[]) WITH ORDINALITY AS t(word, i)
         ), cand AS (
           SELECT q.i, v.word, CASE WHEN v.word = q.qword THEN 1.0 ELSE similarity(v.word, q.qword) END::float8 AS sim
             FROM q JOIN part_vocabulary v ON v.lang = $2
              AND (v.word = q.qword
                   OR (q.fuzzy AND v.word !~ '[0-9]'
                       -- A typo changes the length by a character or two: a cheap filter before similarity().
                       AND abs(length(v.word) - length(q.qword)) <= 2 AND similarity(v.word, q.qword) >= 0.2))
         ), top AS (
           -- A typo must not fan out: the five closest vocabulary words per query word.
           SELECT i, word, sim FROM (SELECT c.*, row_number() OVER (PARTITION BY i ORDER BY sim DESC, word) AS r FROM cand c) x WHERE r <= 5
         ), corrected AS (
           -- The query as the catalogue spells it ("seperator elment" → "separator element").
           SELECT string_agg(word, ' ' ORDER BY i) AS phrase FROM (SELECT DISTINCT ON (i) i, word FROM top ORDER BY i, sim DESC, word) b
         ), best AS (
           SELECT w.part_number, t.i, max(t.sim) AS sim
             FROM top t JOIN part_words w ON w.lang = $2 AND w.word = t.word
            GROUP BY w.part_number, t.i
         ), scored AS (
           -- Only the best-covered candidates get the (dearer) text bonuses below.
           SELECT part_number, count(*) AS covered, sum(sim) AS closeness FROM best GROUP BY part_number
           HAVING count(*) >= $7
           ORDER BY count(*) DESC, sum(sim) DESC LIMIT 200
         )
         SELECT p.number, s.covered,
                s.closeness
                + CASE WHEN strpos(x.srch, $3) > 0 THEN 1 ELSE 0 END
                + CASE WHEN strpos(x.srch, (SELECT phrase FROM corrected)) > 0 THEN 0.8 ELSE 0 END
                + CASE WHEN strpos(split_part(x.srch, ' | ', 2), $3) > 0 THEN 0.5 ELSE 0 END
                + CASE WHEN starts_with(x.srch, $4) THEN 0.3 ELSE 0 END
                -- Query words in the name weigh more than in category words or model ids.
                + 0.3 * (SELECT count(*) FROM unnest($1::text[]) t WHERE strpos(split_part(x.srch, ' | ', 1), t) > 0) AS score
           FROM scored s
           JOIN parts p ON p.number = s.part_number
           CROSS JOIN LATERAL (SELECT CASE WHEN $2 = 'zh' THEN p.search_zh ELSE p.search_en END AS srch) x
          WHERE NOT p.superseded
            AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM part_fits f WHERE f.part_number = p.number AND f.model_id = $5))
          ORDER BY s.covered DESC, score DESC, p.number
          LIMIT $6`,
        [input.tokens, input.lang, input.phrase, input.tokens[0], input.modelId ?? null, input.limit, input.minCovered],
      );
      return rows;
    },

    /**
     * One or two Chinese characters (油, 阀, 滤芯): too short for the word index, whose Chinese
     * tokens are whole runs and bigrams, and for trigrams. A substring test over the ~2 000
     * current parts' short Chinese search text is a sub-millisecond scan (bench:parts), ranked:
     * the characters in the name, among the category's own words (滤芯 is what a filter is
     * called, not what a filter switch is), a name that starts with them; then an earlier
     * position and a shorter name.
     */
    async searchChineseSubstring(input: { text: string; modelId?: string; limit: number }, db: Db = pool): Promise<TextHit[]> {
      const { rows } = await db.query<TextHit>(
        `SELECT p.number, 1 AS covered,
                CASE WHEN strpos(n.name, $1) > 0 THEN 1 ELSE 0 END
                + CASE WHEN strpos(split_part(p.search_zh, ' | ', 2), $1) > 0 THEN 0.5 ELSE 0 END
                + CASE WHEN starts_with(n.name, $1) THEN 0.3 ELSE 0 END AS score
           FROM parts p
          CROSS JOIN LATERAL (SELECT split_part(p.search_zh, ' | ', 1) AS name) n
          WHERE NOT p.superseded AND strpos(p.search_zh, $1) > 0
            AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM part_fits f WHERE f.part_number = p.number AND f.model_id = $2))
          ORDER BY score DESC, strpos(p.search_zh, $1), length(n.name), p.number
          LIMIT $3`,
        [input.text, input.modelId ?? null, input.limit],
      );
      return rows;
    },

    async bom(modelId: string, lang: PartLang, db: Db = pool): Promise<BomLine[]> {
      const { rows } = await db.query<{ position: number; assembly: BomLine['assembly']; quantity: number; number: string; category: PartCategory; name: string }>(
        `SELECT b.position, b.assembly, b.quantity, p.number, p.category, ${NAME('p')} AS name
           FROM model_bom b JOIN parts p ON p.number = b.part_number
          WHERE b.model_id = $1 ORDER BY b.position`,
        [modelId, lang],
      );
      return rows.map((r) => ({
        position: r.position,
        assembly: r.assembly,
        quantity: r.quantity,
        part: { number: r.number, printed: formatPartNumber(r.number), category: r.category, name: r.name },
      }));
    },

    /** Kit numbers of a model per level, in plan order. */
    async kitNumbers(modelId: string, db: Db = pool): Promise<Array<{ level: 'first' | 'A' | 'B' | 'C'; number: string }>> {
      const { rows } = await db.query<{ level: 'first' | 'A' | 'B' | 'C'; number: string }>(
        `SELECT level, kit_number AS number FROM service_kits WHERE model_id = $1
          ORDER BY array_position(ARRAY['first', 'A', 'B', 'C'], level), kit_number`,
        [modelId],
      );
      return rows;
    },

    /**
     * What the public serial lookup needs: the model, and the device id to read its plan
     * with (never part of the answer). No customer or site is selected.
     */
    async machineBySerial(serial: string, db: Db = pool): Promise<MachineServiceRow | null> {
      const { rows } = await db.query<{ device_id: string; serial: string; model_id: string }>(
        `SELECT d.id AS device_id, d.serial, d.model_id
           FROM devices d
          WHERE regexp_replace(upper(d.serial), '[^A-Z0-9]', '', 'g') = $1 AND d.enabled`,
        [serialKey(serial)],
      );
      const r = rows[0];
      if (!r) return null;
      return { deviceId: r.device_id, serial: r.serial, modelId: r.model_id };
    },

    async modelName(modelId: string, db: Db = pool): Promise<string | null> {
      const { rows } = await db.query<{ name: string }>(`SELECT name FROM compressor_models WHERE id = $1`, [modelId]);
      return rows[0]?.name ?? null;
    },
  };
}
export type PartsRepository = ReturnType<typeof createPartsRepository>;
