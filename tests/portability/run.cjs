// Runs a wasi-threads command module on Node.js with @emnapi/wasi-threads:
//   node run.cjs [--dir HOST[::GUEST]]... [--env K=V]... MODULE.wasm INITIAL_PAGES MAXIMUM_PAGES [ARGS...]
// The shared memory is created from the limits the module imports (passed in).
//
// This thread only supervises: the guest's main thread runs in a worker (which
// blocks in wasm while it waits for its threads), and every guest thread reports
// how the run ends on a BroadcastChannel: proc_exit or the return of _start ends
// the process with that code, a trap in any thread ends it with 134 after one
// `error:` line, so a failed guest never leaves Node hanging.
'use strict'
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Worker, isMainThread, workerData } = require('node:worker_threads')
const { guestWasi, report, CHANNEL } = require('./wasi.cjs')

const EXIT_TRAP = 134

function parseArgs (argv) {
  const dirs = []
  const env = {}
  while (argv.length && argv[0].startsWith('--')) {
    const option = argv.shift()
    const value = argv.shift()
    if (value === undefined) throw new Error(`${option} needs a value`)
    if (option === '--dir') dirs.push(value)
    else if (option === '--env') {
      const at = value.indexOf('=')
      if (at < 1) throw new Error(`--env ${value} is not KEY=VALUE`)
      env[value.slice(0, at)] = value.slice(at + 1)
    } else throw new Error(`unknown option ${option}`)
  }
  const [file, initial, maximum, ...args] = argv
  if (maximum === undefined) throw new Error('usage: run.cjs [--dir D] [--env K=V] MODULE INITIAL MAXIMUM [ARGS...]')
  // The core count, for wasmpack's compat layer (sysconf, hardware_concurrency).
  if (!('WASMPACK_CPUS' in env)) env.WASMPACK_CPUS = String(os.availableParallelism())
  const preopens = {}
  for (const dir of dirs) {
    const [host, guest] = dir.split('::')
    preopens[guest ?? host] = host
  }
  return { file, initial: Number(initial), maximum: Number(maximum), args, env, preopens }
}

// A descriptor for `fd` on which writes block: Node makes its stdio pipes
// non-blocking, and a guest's write would then fail with EAGAIN. A pipe or
// socket is reopened (a new open file description of its own); files and
// terminals are used as they are.
function blockingFd (fd) {
  const stat = fs.fstatSync(fd)
  if (!stat.isFIFO() && !stat.isSocket()) return fd
  try {
    return fs.openSync(`/proc/self/fd/${fd}`, 'w')
  } catch {
    return fd
  }
}

function supervise () {
  let options
  try {
    options = parseArgs(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`error: ${error.message}\n`)
    process.exit(2)
  }
  options.stdout = blockingFd(1)
  options.stderr = blockingFd(2)
  const channel = new BroadcastChannel(CHANNEL)
  channel.onmessage = ({ data }) => {
    if (data.error !== undefined) {
      fs.writeSync(options.stderr, `error: the guest failed: ${data.error}\n`)
      process.exit(EXIT_TRAP)
    }
    process.exit(data.exit)
  }
  const main = new Worker(__filename, { workerData: options })
  main.on('error', (error) => {
    fs.writeSync(options.stderr, `error: ${error.stack || error}\n`)
    process.exit(EXIT_TRAP)
  })
  // A main worker that ended without a report (its message may still be on the way).
  main.on('exit', () => setTimeout(() => {
    fs.writeSync(options.stderr, 'error: the guest stopped without an exit code\n')
    process.exit(EXIT_TRAP)
  }, 2000))
}

async function runGuestMain () {
  const options = workerData
  const { WASIThreads } = require('@emnapi/wasi-threads')
  const wasi = guestWasi(options, [options.file, ...options.args])
  const threads = new WASIThreads({
    wasi,
    waitThreadStart: 1000,
    onCreateWorker: () => new Worker(path.join(__dirname, 'worker.cjs'), { workerData: options })
  })
  const memory = new WebAssembly.Memory({ initial: options.initial, maximum: options.maximum, shared: true })
  try {
    const { module, instance } = await WebAssembly.instantiate(fs.readFileSync(options.file), {
      env: { memory },
      wasi_snapshot_preview1: wasi.wasiImport,
      ...threads.getImportObject()
    })
    threads.setup(instance, module, memory)
    report({ exit: wasi.start(instance) })
  } catch (error) {
    report({ error: String(error && error.stack ? error.stack : error) })
  }
}

if (isMainThread) supervise()
else runGuestMain()
