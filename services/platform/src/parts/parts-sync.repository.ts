import { createHash } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../db/transaction.ts';
import { searchTokens } from './part-number.domain.ts';
import { searchTexts } from './parts-search-text.domain.ts';
import { PARTS_CATALOGUE_FORMAT, generatePartsCatalogue, type PartsCatalogue } from './parts-catalogue.data.ts';

/** Version of a generated catalogue: a hash of its rows and the row format. */
export function partsCatalogueVersion(catalogue: PartsCatalogue): string {
  return createHash('sha256').update(`${PARTS_CATALOGUE_FORMAT}\n${JSON.stringify(catalogue)}\n${JSON.stringify(catalogue.parts.map(searchTexts))}`).digest('hex').slice(0, 32);
}

// Any constant: serialises concurrent start-ups (several platform instances, parallel test setup).
const SYNC_LOCK = 0x70617274; // "part"

export interface SyncPartsResult {
  version: string;
  /** False when the stored catalogue already had this version. */
  changed: boolean;
  parts: number;
}

/**
 * Makes the parts tables equal the generated catalogue, like syncCatalogue does for the
 * models: called at every start, a no-op (one SELECT) while the stored version hash equals
 * the generator's. A changed catalogue is upserted in one transaction; rows that other
 * features may reference (parts) are updated in place rather than deleted and re-inserted.
 */
export async function syncParts(pool: pg.Pool, catalogue: PartsCatalogue = generatePartsCatalogue()): Promise<SyncPartsResult> {
  const version = partsCatalogueVersion(catalogue);
  const stored = await pool.query<{ version: string }>(`SELECT version FROM parts_catalogue_meta`);
  if (stored.rows[0]?.version === version) return { version, changed: false, parts: catalogue.parts.length };

  await withTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock($1)`, [SYNC_LOCK]);
    const again = await client.query<{ version: string }>(`SELECT version FROM parts_catalogue_meta`);
    if (again.rows[0]?.version === version) return;

    // Each part's predecessors, oldest first (A → B → C: C replaces [A, B]).
    const previous = new Map<string, string[]>();
    for (const s of catalogue.supersessions) previous.set(s.newNumber, [...(previous.get(s.newNumber) ?? []), s.oldNumber]);
    const history = (n: string, depth = 0): string[] => (depth > 20 ? [] : (previous.get(n) ?? []).flatMap((o) => [...history(o, depth + 1), o]));
    const rows = catalogue.parts.map((p) => {
      const search = searchTexts(p);
      return { ...p, searchEn: search.en, searchZh: search.zh, replaces: history(p.number) };
    });
    await client.query(
      `INSERT INTO parts (number, category, name_en, name_zh, description_en, description_zh, unit, pack_size, weight_kg,
                          list_price_eur, list_price_public, cost_price_eur, superseded, fits, replaces, search_en, search_zh)
       SELECT r.number, r.category, r."nameEn", r."nameZh", r."descriptionEn", r."descriptionZh", r.unit, r."packSize", r."weightKg",
              r."listPriceEur", r."listPricePublic", r."costPriceEur", r.superseded, r.fits, r.replaces, r."searchEn", r."searchZh"
         FROM jsonb_to_recordset($1::jsonb) AS r(number text, category text, "nameEn" text, "nameZh" text, "descriptionEn" text,
              "descriptionZh" text, unit text, "packSize" float8, "weightKg" float8, "listPriceEur" numeric, "listPricePublic" boolean,
              "costPriceEur" numeric, superseded boolean, fits text[], replaces text[], "searchEn" text, "searchZh" text)
       ON CONFLICT (number) DO UPDATE SET
         category = EXCLUDED.category, name_en = EXCLUDED.name_en, name_zh = EXCLUDED.name_zh,
         description_en = EXCLUDED.description_en, description_zh = EXCLUDED.description_zh, unit = EXCLUDED.unit,
         pack_size = EXCLUDED.pack_size, weight_kg = EXCLUDED.weight_kg, list_price_eur = EXCLUDED.list_price_eur,
         list_price_public = EXCLUDED.list_price_public, cost_price_eur = EXCLUDED.cost_price_eur,
         superseded = EXCLUDED.superseded, fits = EXCLUDED.fits, replaces = EXCLUDED.replaces, search_en = EXCLUDED.search_en, search_zh = EXCLUDED.search_zh`,
      [JSON.stringify(rows)],
    );
    // The relations are derived data: replace them whole.
    await client.query(`DELETE FROM service_kit_items`);
    await client.query(`DELETE FROM service_kits`);
    await client.query(`DELETE FROM model_bom`);
    await client.query(`DELETE FROM part_fits`);
    await client.query(`DELETE FROM part_supersessions`);
    await client.query(`DELETE FROM part_words`);
    await client.query(`DELETE FROM part_vocabulary`);
    const langs: string[] = [];
    const words: string[] = [];
    const numbers: string[] = [];
    for (const p of rows) {
      for (const [lang, text] of [['en', p.searchEn], ['zh', p.searchZh]] as const) {
        for (const w of searchTokens(text)) {
          langs.push(lang);
          words.push(w);
          numbers.push(p.number);
        }
      }
    }
    // searchTokens yields each token once per text, so the rows are already distinct.
    await client.query(
      `INSERT INTO part_words (lang, word, part_number) SELECT * FROM unnest($1::text[], $2::text[], $3::bpchar[])`,
      [langs, words, numbers],
    );
    await client.query(`INSERT INTO part_vocabulary (lang, word) SELECT DISTINCT lang, word FROM part_words`);
    await client.query(
      `INSERT INTO part_supersessions (old_number, new_number, since)
       SELECT s."oldNumber", s."newNumber", s.since FROM jsonb_to_recordset($1::jsonb) AS s("oldNumber" text, "newNumber" text, since date)`,
      [JSON.stringify(catalogue.supersessions)],
    );
    await client.query(
      `INSERT INTO part_fits (part_number, model_id)
       SELECT f.number, m FROM jsonb_to_recordset($1::jsonb) AS f(number text, fits text[]), unnest(f.fits) AS m`,
      [JSON.stringify(catalogue.parts.filter((p) => p.fits.length > 0).map((p) => ({ number: p.number, fits: p.fits })))],
    );
    await client.query(
      `INSERT INTO model_bom (model_id, position, assembly, part_number, quantity)
       SELECT b."modelId", b.position, b.assembly, b."partNumber", b.quantity
         FROM jsonb_to_recordset($1::jsonb) AS b("modelId" text, position int, assembly text, "partNumber" text, quantity float8)`,
      [JSON.stringify(catalogue.bom)],
    );
    await client.query(
      `INSERT INTO service_kits (kit_number, model_id, level)
       SELECT k."kitNumber", k."modelId", k.level FROM jsonb_to_recordset($1::jsonb) AS k("kitNumber" text, "modelId" text, level text)`,
      [JSON.stringify(catalogue.kits)],
    );
    await client.query(
      `INSERT INTO service_kit_items (kit_number, line, part_number, quantity)
       SELECT k."kitNumber", i.line, i."partNumber", i.quantity
         FROM jsonb_to_recordset($1::jsonb) AS k("kitNumber" text, items jsonb),
              ROWS FROM (jsonb_to_recordset(k.items) AS ("partNumber" text, quantity float8)) WITH ORDINALITY AS i("partNumber", quantity, line)`,
      [JSON.stringify(catalogue.kits)],
    );
    // Parts no longer generated go last, after nothing of ours references them.
    await client.query(`DELETE FROM parts WHERE number <> ALL($1::bpchar[])`, [catalogue.parts.map((p) => p.number)]);
    await client.query(
      `INSERT INTO parts_catalogue_meta (singleton, version, parts, synced_at) VALUES (true, $1, $2, now())
       ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version, parts = EXCLUDED.parts, synced_at = EXCLUDED.synced_at`,
      [version, catalogue.parts.length],
    );
  });
  // Fresh statistics so the planner picks the indexes right away, and a visibility map so
  // the word index is read index-only (VACUUM cannot run inside the transaction above).
  await pool.query(`VACUUM (ANALYZE) parts, part_words, part_vocabulary, part_supersessions, part_fits, model_bom, service_kits, service_kit_items`);
  return { version, changed: true, parts: catalogue.parts.length };
}
