import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * Writes .br and .gz next to each text asset so the platform (@fastify/static, preCompressed)
 * serves them without compressing on every request.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'airfleet-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const walk = async (dir: string): Promise<string[]> => {
        const entries = await readdir(dir, { withFileTypes: true });
        const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)])));
        return nested.flat();
      };
      const files = (await walk(outDir)).filter((f) => /\.(js|css|html|svg|json)$/.test(f) && !f.includes(`${path.sep}.vite${path.sep}`));
      await Promise.all(
        files.map(async (file) => {
          if ((await stat(file)).size < 1024) return;
          const body = await readFile(file);
          await writeFile(`${file}.gz`, await gzipAsync(body, { level: 9 }));
          await writeFile(`${file}.br`, await brotliAsync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }));
        }),
      );
    },
  };
}

// `npm run dev`: Vite on :5173 with the API, Swagger and the live WebSocket proxied to a
// running platform (`npm start`, or AIRFLEET_API_URL).
const api = process.env.AIRFLEET_API_URL ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [react(), precompress()],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: true },
      '/docs': { target: api, changeOrigin: true },
      // The platform refuses cross-origin WebSocket upgrades; the proxy presents the target's origin.
      '/live': { target: api, ws: true, changeOrigin: true, rewriteWsOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    // The bundle budget (initial JS for login + fleet) is measured from this manifest.
    manifest: true,
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
});
