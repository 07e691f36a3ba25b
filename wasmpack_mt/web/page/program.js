// The worker that runs the program's main thread (`_start`). It cannot run on
// the page itself: the main thread of a wasi-threads program blocks in
// memory.atomic.wait (pthread_join), which a page may not do.
//
// The thread workers are created and loaded before `_start` runs (a preloaded
// pool sized from the module's thread hint): once the main thread blocks, a
// worker it starts afterwards could never finish loading.
import { WASIThreads } from './lib/wasi-threads/wasi-threads.js'
import { EXIT_HOST_REFUSED, Output, makeWasi } from './guest.js'

async function fetchBytes (url) {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`)
  return new Uint8Array(await response.arrayBuffer())
}

function newThreadWorker (init) {
  const worker = new Worker(new URL('./thread.js', import.meta.url), { type: 'module' })
  worker.postMessage({ wasmpack: init })
  return worker
}

async function load (config, init, output) {
  const files = await Promise.all(config.files.map(async ({ guest, url }) => ({
    guest, bytes: await fetchBytes(url)
  })))
  const guest = { args: config.args, env: init.env, files }
  const wasi = makeWasi(guest, output)
  const module = await WebAssembly.compile(await fetchBytes(config.module))
  const memory = config.memory && new WebAssembly.Memory(config.memory)
  let threads = null
  if (config.threads.spawn) {
    threads = new WASIThreads({
      wasi,
      waitThreadStart: 10000,
      reuseWorker: { size: init.pool, strict: false },
      onCreateWorker: () => newThreadWorker({ ...init, guest })
    })
  }
  const instance = await WebAssembly.instantiate(module, {
    ...(memory ? { env: { memory } } : {}),
    wasi_snapshot_preview1: wasi.wasiImport,
    ...(threads ? threads.getImportObject() : {})
  })
  if (threads) {
    threads.setup(instance, module, memory)
    await threads.preloadWorkers()
  }
  // The WASI library reads memory from the exports; a module may only import it.
  return { wasi, instance: { exports: { ...instance.exports, ...(memory ? { memory } : {}) } } }
}

self.onmessage = async ({ data: init }) => {
  self.onmessage = null
  const output = new Output(init)
  let program
  try {
    program = await load(init.config, init, output)
  } catch (error) {
    output.exit(EXIT_HOST_REFUSED, `error: the page cannot run the module: ${error.message}`)
    return
  }
  output.send({ started: true })
  try {
    output.exit(program.wasi.start(program.instance))
  } catch (error) {
    output.fail(error, 'the main thread')
  }
}
