import { defineConfig } from "vite";

// The bundle is served by `maille ui` from the maille assembly's resources: relative paths, no source maps, one
// folder of files (index.html and assets/).
export default defineConfig({
  base: "./",
  build: {
    outDir: process.env.MAILLE_UI_OUT ?? "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 4096,
  },
});
