// The page: reads the run's settings (wasmpack-page.json), starts the worker
// that runs the program, shows stdout/stderr as they come and the exit code.
// When the run ends, <body data-exit-code="N"> is set (and the title says it).
const CONFIG = 'wasmpack-page.json'
const PAGE_SIZE = 65536

const $ = (id) => document.getElementById(id)

function finish (code, note) {
  $('status').textContent = `exited with code ${code}` + (note ? ` (${note})` : '')
  $('status').classList.toggle('fail', code !== 0)
  document.title = `wasmpack: exit ${code}`
  document.body.dataset.exitCode = String(code)
}

function size (pages) {
  const bytes = pages * PAGE_SIZE
  return bytes >= 1 << 20 ? `${bytes / (1 << 20)} MiB` : `${bytes / 1024} KiB`
}

function describe (config, cores, pool) {
  $('title').textContent = `wasmpack: ${config.module}`
  $('command').textContent = config.args.join(' ')
  const memory = config.memory
  $('memory').textContent = memory
    ? `${memory.shared ? 'shared, ' : ''}${size(memory.initial)} to ` +
      (memory.maximum === undefined ? 'any size' : size(memory.maximum))
    : 'the module\'s own'
  $('threads').textContent = config.threads.spawn
    ? `wasi-threads, ${pool} workers preloaded (hint ${config.threads.pool ?? 'none'}), ${cores} cores`
    : 'none (the module does not import thread-spawn)'
}

// Messages carry a sequence number from a counter all threads share; apply
// them in that order, so output is in write order and the exit comes last.
function receiver (worker) {
  const pending = new Map()
  const decoders = { 1: new TextDecoder(), 2: new TextDecoder() }
  let next = 0
  let done = false
  return ({ data }) => {
    pending.set(data.seq, data)
    while (!done && pending.has(next)) {
      const message = pending.get(next)
      pending.delete(next++)
      if (message.started) $('status').textContent = 'running'
      if (message.bytes) {
        const target = $(message.fd === 1 ? 'stdout' : 'stderr')
        target.textContent += decoders[message.fd].decode(message.bytes, { stream: true })
      }
      if (message.exit !== undefined) {
        done = true
        worker.terminate()
        finish(message.exit)
      }
    }
  }
}

async function main () {
  const config = await (await fetch(CONFIG)).json()
  const cores = navigator.hardwareConcurrency || 1
  const pool = config.threads.pool ?? cores
  describe(config, cores, pool)
  $('isolated').textContent = `crossOriginIsolated = ${self.crossOriginIsolated}`
  if (!self.crossOriginIsolated) {
    $('isolated').classList.add('fail')
    $('stderr').textContent = 'error: the page is not cross-origin isolated, so it has no ' +
      'SharedArrayBuffer; serve it with the headers Cross-Origin-Opener-Policy: same-origin ' +
      'and Cross-Origin-Embedder-Policy: require-corp\n'
    finish(7, 'not cross-origin isolated')
    return
  }
  const env = { WASMPACK_CPUS: String(cores), RAYON_NUM_THREADS: String(cores), ...config.env }
  const channelName = `wasmpack-${crypto.randomUUID()}`
  const counter = new SharedArrayBuffer(4)
  const worker = new Worker(new URL('./program.js', import.meta.url), { type: 'module' })
  const channel = new BroadcastChannel(channelName)
  channel.onmessage = receiver(worker)
  worker.onerror = (event) => {
    $('stderr').textContent += `error: the program's worker failed: ${event.message}\n`
    finish(7, 'the worker failed to start')
  }
  worker.postMessage({ config, env, pool, channelName, counter })
}

main().catch((error) => {
  $('stderr').textContent += `error: ${error.message}\n`
  finish(7, 'the page could not start the program')
})
