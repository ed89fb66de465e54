import { z } from 'zod';
import { serviceLevelSchema } from '../judgment.schema.ts';

/**
 * Public parts lookup (no login). Everything here may be shown to anyone on the internet:
 * no cost prices, no internal ids, nothing about who owns a machine.
 */

export const PART_CATEGORIES = [
  'oil_filter',
  'air_filter',
  'line_filter',
  'separator',
  'oil',
  'grease',
  'valve',
  'valve_kit',
  'sensor',
  'motor',
  'coupling',
  'belt',
  'cooler',
  'drain',
  'service_kit',
] as const;
export const partCategorySchema = z.enum(PART_CATEGORIES);
export type PartCategory = z.infer<typeof partCategorySchema>;

export const PART_LANGS = ['en', 'zh-CN'] as const;
export const partLangSchema = z.enum(PART_LANGS);
export type PartLang = z.infer<typeof partLangSchema>;

/** Stored form: exactly 10 digits. Printed form: `NNNN NNNN NN`. */
export const partNumberSchema = z.string().regex(/^\d{10}$/);

export const partRefSchema = z.object({
  number: partNumberSchema,
  /** `NNNN NNNN NN` */
  printed: z.string(),
});
export type PartRef = z.infer<typeof partRefSchema>;

export const PART_UNITS = ['piece', 'set', 'litre', 'kg'] as const;

/** BOM assembly groups; the dashboard translates the code. */
export const BOM_ASSEMBLIES = ['intake', 'airend', 'oil_circuit', 'separation', 'cooling', 'drive', 'control', 'condensate'] as const;
export const bomAssemblySchema = z.enum(BOM_ASSEMBLIES);

export const kitItemSchema = partRefSchema.extend({
  category: partCategorySchema,
  name: z.string(),
  /** Packs (oil cans, grease tins) or pieces. */
  quantity: z.number().positive(),
  unit: z.enum(PART_UNITS),
  /** Litres or kilograms per pack for oils and greases, else 1. */
  packSize: z.number().positive(),
});
export type KitItem = z.infer<typeof kitItemSchema>;

export const partSchema = partRefSchema.extend({
  category: partCategorySchema,
  /** In the requested language (`lang`). */
  name: z.string(),
  description: z.string(),
  unit: z.enum(PART_UNITS),
  /** Litres per pack for oils, else 1. */
  packSize: z.number().positive(),
  weightKg: z.number().nonnegative(),
  /**
   * Public list price, or null when the part is "price on request" (motors, coolers):
   * only prices flagged public are ever returned. Cost prices never leave the platform.
   */
  listPrice: z.object({ amount: z.number().nonnegative(), currency: z.literal('EUR') }).nullable(),
  /** Compressor models this part fits (interchangeability). */
  fits: z.array(z.string()),
  /** Older numbers this part replaced, directly or through earlier steps (oldest first). */
  replaces: z.array(partRefSchema),
  /** Set for service kits: the model and plan level it serves and its contents. */
  kit: z
    .object({
      modelId: z.string(),
      level: serviceLevelSchema,
      contents: z.array(kitItemSchema),
    })
    .nullable(),
});
export type Part = z.infer<typeof partSchema>;

export const PART_MATCH_KINDS = ['number', 'superseded', 'prefix', 'text', 'model'] as const;
export const partMatchKindSchema = z.enum(PART_MATCH_KINDS);
export type PartMatchKind = z.infer<typeof partMatchKindSchema>;

export const partHitSchema = z.object({
  part: partSchema,
  matchedBy: partMatchKindSchema,
  /**
   * For a superseded number: the chain from the number asked for to the current part,
   * both ends included (`[old, …, current]`). Empty otherwise.
   */
  chain: z.array(partRefSchema),
});
export type PartHit = z.infer<typeof partHitSchema>;

export const bomLineSchema = z.object({
  position: z.number().int(),
  assembly: bomAssemblySchema,
  quantity: z.number().positive(),
  part: partRefSchema.extend({ category: partCategorySchema, name: z.string() }),
});
export type BomLine = z.infer<typeof bomLineSchema>;

export const modelKitSchema = z.object({
  level: serviceLevelSchema,
  intervalHours: z.number(),
  intervalMonths: z.number().nullable(),
  kits: z.array(partSchema),
});
export type ModelKit = z.infer<typeof modelKitSchema>;

export const modelPartsSchema = z.object({
  modelId: z.string(),
  modelName: z.string(),
  bom: z.array(bomLineSchema),
  kits: z.array(modelKitSchema),
});
export type ModelParts = z.infer<typeof modelPartsSchema>;

/**
 * What a public serial lookup reveals: the machine's model and its next due service kit.
 * Deliberately nothing about the owner (no customer, site, city, device id).
 */
export const machinePartsSchema = z.object({
  serial: z.string(),
  modelId: z.string(),
  /** The machine's next service (one visit: the highest level due at it, with its kit; docs/domain.md §5). */
  nextService: z
    .object({
      level: serviceLevelSchema,
      /** Lower levels the kit's service includes (B = A + …). */
      includes: z.array(serviceLevelSchema),
      dueInHours: z.number(),
      dueInDays: z.number(),
      overdue: z.boolean(),
      kits: z.array(partSchema),
    })
    .nullable(),
});
export type MachineParts = z.infer<typeof machinePartsSchema>;

const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const partsSearchQuerySchema = z.object({
  /** A number typed any way (spaces, dashes, dots, full-width digits, a lost leading zero, a prefix) or words in English or Chinese. */
  q: optionalText(100),
  modelId: optionalText(32),
  /** A machine serial number: its model, BOM and next due kit. */
  serial: optionalText(64),
  lang: partLangSchema.default('en'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type PartsSearchQuery = z.input<typeof partsSearchQuerySchema>;

export const partsSearchResponseSchema = z.object({
  /** How the query was understood: `number` (exact 10 digits, or 9 with a leading 0 restored), `prefix`, `text`, or `none`. */
  interpretedAs: z.enum(['number', 'prefix', 'text', 'none']),
  /** The digits read from `q`, when it looked like a number. */
  digits: z.string().nullable(),
  results: z.array(partHitSchema),
  /** With `modelId`, or the model of `serial`. */
  model: modelPartsSchema.nullable(),
  /** With `serial`, when a machine has that serial. */
  machine: machinePartsSchema.nullable(),
});
export type PartsSearchResponse = z.infer<typeof partsSearchResponseSchema>;

export const partNumberParamsSchema = z.object({ number: z.string().min(1).max(40) });
export const partLookupQuerySchema = z.object({ lang: partLangSchema.default('en') });

/** `GET /api/parts/{number}`: the current part; `chain` shows the way from a superseded number. */
export const partLookupResponseSchema = partHitSchema;
export type PartLookupResponse = z.infer<typeof partLookupResponseSchema>;
