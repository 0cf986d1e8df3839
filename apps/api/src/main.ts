import { enableCompileCache } from 'node:module';

// V8 keeps the compiled code of every module on disk (NODE_COMPILE_CACHE, or node-compile-cache in
// the OS temp directory), so a restart skips most compilation: about 200 ms of a 1.45 s boot
// (`npm run bench:boot`). It must be on before the app's modules load, hence the dynamic import.
enableCompileCache();
await import('./serve.js');
