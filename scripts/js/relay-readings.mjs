// A relayer in a few lines of JavaScript: signs one reading as the oracle (on its own, or with
// SIGNING "batch" as a batch signed as a whole) and submits it as a fee-less general transaction (extrinsic format v5), which @polkadot/api 16.5 cannot build
// itself: it encodes the call from the runtime's metadata and adds the bytes that
// docs/wallets.md explains one by one. The relayer needs no account and no funds.
//   node scripts/js/relay-readings.mjs URL ORACLE_SURI METER INTERVAL IMPORTED_WH EXPORTED_WH [SIGNING]
// e.g. node scripts/js/relay-readings.mjs ws://127.0.0.1:9944 //Ferdie 4 1995091 7300 33200
// Prints the transaction's bytes, then the reading's event once it is in a block, or the pool's
// refusal (exit status 2), or that no block carried it within two minutes (exit status 1).
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import {
  u8aConcat, u8aToHex, stringToU8a, bnToU8a, compactAddLength, compactToU8a,
} from '@polkadot/util';

const [url, suri, meter, interval, importedWh, exportedWh, signing] = process.argv.slice(2);
const provider = new WsProvider(url);
const api = await ApiPromise.create({ provider, noInitWarn: true });
const oracle = new Keyring({ type: 'sr25519' }).addFromUri(suri);

// The extensions a general transaction carries, in order (what docs/wallets.md describes):
// refuse to build for a runtime whose list differs rather than send bytes it would misread.
const EXTENSIONS = ['AuthorizeCall', 'CheckNonZeroSender', 'CheckSpecVersion', 'CheckTxVersion',
  'CheckGenesis', 'CheckMortality', 'CheckNonce', 'CheckWeight', 'ChargeTransactionPayment',
  'CheckMetadataHash', 'WeightReclaim'];
const named = api.registry.signedExtensions;
if (named.join() !== EXTENSIONS.join()) throw new Error(`unexpected extensions: ${named}`);

// What the oracle signs (pallets/readings/README.md): a tag, the genesis hash, then the reading's
// four u64 little-endian; a batch signed as a whole has its own tag and the number of readings
// (SCALE compact) before them.
const u64 = (n) => bnToU8a(BigInt(n), { bitLength: 64, isLe: true });
const reading = { meter, interval, importedWh, exportedWh };
const registers = u8aConcat(u64(meter), u64(interval), u64(importedWh), u64(exportedWh));
let method;
if (signing === 'batch') {
  const payload = u8aConcat(stringToU8a('peergrid/reading-batch/v1'), api.genesisHash.toU8a(),
    compactToU8a(1), registers);
  const signature = { Sr25519: oracle.sign(payload) };
  method = api.tx.readings.submitBatch(oracle.address, [reading], signature).method;
} else {
  const payload = u8aConcat(stringToU8a('peergrid/reading/v1'), api.genesisHash.toU8a(), registers);
  const signed = { reading, oracle: oracle.address, signature: { Sr25519: oracle.sign(payload) } };
  method = api.tx.readings.submitReadings([signed]).method;
}

// The call, encoded from the metadata: pallet index, call index, the batch.
const call = method.toU8a();
// 0x45: format version 5, general; 0x00: extension version 0; then the extensions' own bytes:
// CheckMortality 0x00 (immortal: a reading is accepted once, whenever it comes), CheckNonce
// compact 0, ChargeTransactionPayment tip compact 0, CheckMetadataHash mode 0 (no hash); the
// other seven carry no bytes. Then the call, and the whole behind its compact length.
const body = u8aConcat(new Uint8Array([0x45, 0x00, 0x00, 0x00, 0x00, 0x00]), call);
const transaction = u8aToHex(compactAddLength(body));
console.log(transaction);

// Sent as raw bytes, straight to the node: api.rpc.author.submitExtrinsic would pass them through
// polkadot.js's Extrinsic type, which encodes a v5 general transaction again (the node then fails
// to decode it: error 1002 with a wasm trap).
// The reading's event (ReadingAccepted or ReadingRejected, fields meter and interval first),
// waited for at most two minutes: a transaction the pool took but no block carried is reported,
// with exit status 1.
const WAIT_SECONDS = 120;
const events = new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(
    `no event of meter ${meter}'s reading for interval ${interval} within ${WAIT_SECONDS} s`)),
  WAIT_SECONDS * 1000);
  const unsubscribe = api.query.system.events((records) => {
    const ours = records.filter(({ event }) => event.section === 'readings'
      && String(event.data[0]) === String(meter) && String(event.data[1]) === String(interval));
    if (ours.length) {
      clearTimeout(timer);
      unsubscribe.then((stop) => stop());
      resolve(ours.map(({ event }) => `${event.section}.${event.method} ${JSON.stringify(event.data.toHuman())}`));
    }
  });
});
// Handled below; until then, a timeout must not count as an unhandled rejection.
events.catch(() => {});
// A refusal of the pool is the JSON-RPC error, e.g. "1010: Invalid Transaction: Custom error: 0"
// (the pool's codes are 1010 to 1014; docs/wallets.md lists them): the script then exits with
// status 2. Any other failure (the node unreachable, no answer) is status 1.
try {
  console.log('submitted:', await provider.send('author_submitExtrinsic', [transaction]));
} catch (error) {
  if (!/^101[0-4]:/.test(error.message)) {
    console.error('not submitted:', error.message);
    process.exit(1);
  }
  console.log('refused:', error.message);
  process.exit(2);
}
try {
  console.log((await events).join('\n'));
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
await api.disconnect();
