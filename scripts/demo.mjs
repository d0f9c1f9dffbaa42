// `npm start`: the offline demo in a real VS Code. Ctrl+C stops everything it started.
import { startDemo } from './lib/demo.mjs';

const port = Number(process.env.PORT || 8080);
const demo = await startDemo({ port, log: (m) => console.log(`[demo] ${m}`) });
console.log(`\nEKS Auth Explorer offline demo is ready. Open:\n\n  ${demo.url}\n\nPress Ctrl+C to stop.`);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\n[demo] stopping...');
  await demo.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
