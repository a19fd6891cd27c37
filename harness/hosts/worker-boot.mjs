// Starts the worker host's thread from the TypeScript sources of a checkout:
// tsx's loader must be registered inside the thread before its .ts entry can
// load (execArgv's --import does not reach a worker). The compiled package
// starts worker-main.js directly and never loads this file.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
