-- Up Migration

-- Parts catalogue and the public lookup (docs/parts.md; docs/domain.md §5–6). The rows are
-- reference data generated deterministically (src/parts/parts-catalogue.data.ts) and
-- synchronised at start by syncParts(); nothing here is edited by hand.
-- pg_trgm: typo-tolerant description search in English and Chinese.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One row: the generator's version hash of the catalogue now stored (skip re-sync when equal).
CREATE TABLE parts_catalogue_meta (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version text NOT NULL,
  parts integer NOT NULL,
  synced_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE parts (
  -- AirFleet's own 10-digit numbers, printed NNNN NNNN NN; leading zeros are significant.
  number char(10) PRIMARY KEY CHECK (number ~ '^[0-9]{10}$'),
  category text NOT NULL,
  name_en text NOT NULL,
  name_zh text NOT NULL,
  description_en text NOT NULL,
  description_zh text NOT NULL,
  unit text NOT NULL CHECK (unit IN ('piece', 'set', 'litre', 'kg')),
  pack_size real NOT NULL DEFAULT 1,
  weight_kg real NOT NULL,
  list_price_eur numeric(10, 2),
  -- Only list prices flagged public are ever shown by the public lookup ("price on request" otherwise).
  list_price_public boolean NOT NULL DEFAULT false,
  -- INTERNAL: purchasing cost. Never selected by any public query.
  cost_price_eur numeric(10, 2) NOT NULL,
  -- True when a supersession names this number as old: text search shows current parts only.
  superseded boolean NOT NULL DEFAULT false,
  -- Read-side copies of part_fits and the supersession history (oldest first), written by the
  -- sync, so showing a part is one row read instead of a join and a recursive query per part.
  fits text[] NOT NULL DEFAULT '{}',
  replaces text[] NOT NULL DEFAULT '{}',
  -- Lower-cased name + description (+ printed number) per language, for trigram search.
  search_en text NOT NULL,
  search_zh text NOT NULL
);
-- Prefix search on the number ("4822 01…"): LIKE 'digits%' needs the pattern opclass (bpchar for char(10)).
CREATE INDEX parts_number_prefix_idx ON parts (number bpchar_pattern_ops);
CREATE INDEX parts_search_en_trgm_idx ON parts USING gin (search_en gin_trgm_ops);
CREATE INDEX parts_search_zh_trgm_idx ON parts USING gin (search_zh gin_trgm_ops);
CREATE INDEX parts_category_idx ON parts (category);

-- Inverted word index for the description search: each part's search tokens per language
-- (words; for Chinese whole Han runs and their bigrams). A query's words are matched
-- exactly, or through the vocabulary by trigram similarity (typos), then looked up here.
CREATE TABLE part_words (
  lang text NOT NULL CHECK (lang IN ('en', 'zh')),
  word text NOT NULL,
  -- No foreign key: ~70 000 derived rows rebuilt with the catalogue; per-row checks would triple the sync.
  part_number char(10) NOT NULL,
  PRIMARY KEY (lang, word, part_number)
);
CREATE TABLE part_vocabulary (
  lang text NOT NULL CHECK (lang IN ('en', 'zh')),
  word text NOT NULL,
  PRIMARY KEY (lang, word)
);
CREATE INDEX part_vocabulary_trgm_idx ON part_vocabulary USING gin (word gin_trgm_ops);

-- old → new, one step each; multi-step chains are followed (A → B → C).
CREATE TABLE part_supersessions (
  old_number char(10) PRIMARY KEY REFERENCES parts(number) ON DELETE CASCADE,
  new_number char(10) NOT NULL REFERENCES parts(number) ON DELETE CASCADE,
  since date NOT NULL,
  CHECK (old_number <> new_number)
);
CREATE INDEX part_supersessions_new_idx ON part_supersessions (new_number);

-- Interchangeability: which compressor models a part fits. Model ids are the contracts'
-- catalogue codes; no foreign key so the parts sync does not depend on the model sync order.
CREATE TABLE part_fits (
  part_number char(10) NOT NULL REFERENCES parts(number) ON DELETE CASCADE,
  model_id text NOT NULL,
  PRIMARY KEY (part_number, model_id)
);
CREATE INDEX part_fits_model_idx ON part_fits (model_id);

-- Bill of materials per model, by position.
CREATE TABLE model_bom (
  model_id text NOT NULL,
  position integer NOT NULL,
  assembly text NOT NULL,
  part_number char(10) NOT NULL REFERENCES parts(number) ON DELETE CASCADE,
  quantity real NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (model_id, position)
);

-- A service kit per model per plan level (first/A/B/C); the numbers are the models' servicePlan kits.
CREATE TABLE service_kits (
  kit_number char(10) PRIMARY KEY REFERENCES parts(number) ON DELETE CASCADE,
  model_id text NOT NULL,
  level text NOT NULL CHECK (level IN ('first', 'A', 'B', 'C'))
);
CREATE INDEX service_kits_model_idx ON service_kits (model_id, level);

CREATE TABLE service_kit_items (
  kit_number char(10) NOT NULL REFERENCES service_kits(kit_number) ON DELETE CASCADE,
  line integer NOT NULL,
  part_number char(10) NOT NULL REFERENCES parts(number) ON DELETE CASCADE,
  quantity real NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (kit_number, line)
);

-- The public lookup by machine serial ignores case and separators, as read off a nameplate
-- ("afs 2023 000123" finds AFS-2023-000123).
CREATE INDEX devices_serial_key_idx ON devices (regexp_replace(upper(serial), '[^A-Z0-9]', '', 'g'));

-- Down Migration
DROP INDEX IF EXISTS devices_serial_key_idx;
DROP TABLE IF EXISTS service_kit_items, service_kits, model_bom, part_fits, part_supersessions, part_vocabulary, part_words, parts, parts_catalogue_meta;
