import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fleetFileSchema, type FleetDevice, type FleetFile } from './fleet-file.schema.ts';

export class FleetFileError extends Error {
  readonly kind: 'missing' | 'invalid';
  constructor(kind: 'missing' | 'invalid', message: string) {
    super(message);
    this.kind = kind;
    this.name = 'FleetFileError';
  }
}

export async function readFleetFile(file: string): Promise<FleetFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new FleetFileError('missing', `fleet file not found: ${file}`);
    throw err;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new FleetFileError('invalid', `fleet file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = fleetFileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 20).map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new FleetFileError('invalid', `fleet file ${file} is invalid:\n${lines.join('\n')}`);
  }
  const ids = new Set<string>();
  for (const d of parsed.data.devices) {
    if (ids.has(d.id)) throw new FleetFileError('invalid', `fleet file ${file}: device ${d.id} listed twice`);
    ids.add(d.id);
  }
  return parsed.data;
}

/** Appends devices (creating the file if needed); write-then-rename so a crash never leaves half a file. */
export async function appendFleetDevices(file: string, devices: FleetDevice[]): Promise<FleetFile> {
  let fleet: FleetFile;
  try {
    fleet = await readFleetFile(file);
  } catch (err) {
    if (!(err instanceof FleetFileError && err.kind === 'missing')) throw err;
    fleet = { devices: [] };
  }
  const next: FleetFile = { ...fleet, devices: [...fleet.devices, ...devices] };
  await mkdir(path.dirname(file), { recursive: true });
  // The file holds device tokens: readable by the owner only.
  await writeFile(`${file}.tmp`, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
  return next;
}
