// Decodes every extrinsic and every event of a PeerGrid node's blocks 1 to BEST with two
// mainstream JavaScript clients, unmodified and given no type definitions of ours, only the
// runtime's metadata:
//
// - polkadot.js (@polkadot/api 16.5, what polkadot.js Apps runs on): its block and events types;
// - polkadot-api (PAPI): its extrinsic decoder (@polkadot-api/tx-utils) and the codecs it builds
//   from metadata v16 (@polkadot-api/metadata-builders).
//
// Each decoding is checked by encoding the result again: the bytes must be the block's (for
// polkadot.js's general transactions, the call's bytes: it re-encodes their envelope wrongly). Prints
// one JSON document: for each client and block, every extrinsic as its kind (bare, signed,
// general), "Pallet.call" and field names, and every event as "Pallet.Event" and field names;
// and every failure. Exits 1 if any decoding failed.
//   npm ci --prefix scripts/js && node scripts/js/decode-blocks.mjs http://127.0.0.1:9944 [BEST]
import { ApiPromise, HttpProvider } from '@polkadot/api';
import { getExtrinsicDecoder } from '@polkadot-api/tx-utils';
import { getDynamicBuilder, getLookupFn } from '@polkadot-api/metadata-builders';
import { Bytes, Option, decAnyMetadata, unifyMetadata, u32 } from '@polkadot-api/substrate-bindings';

const url = process.argv[2];
const failures = [];

async function rpc(method, params) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = await response.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

const hex = (bytes) => '0x' + Buffer.from(bytes).toString('hex');
const fromHex = (text) => Uint8Array.from(Buffer.from(text.slice(2), 'hex'));
// Field names of a decoded PAPI value: a struct's keys, none for a unit or a tuple.
const papiFields = (value) =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)
    ? Object.keys(value) : [];

async function tryDecode(client, what, decode) {
  try {
    return await decode();
  } catch (error) {
    failures.push(`${client}: ${what}: ${error.message ?? error}`);
    return null;
  }
}

const best = Number(process.argv[3] ?? parseInt((await rpc('chain_getHeader', [])).number, 16));
const hashes = [];
for (let n = 1; n <= best; n++) hashes.push(await rpc('chain_getBlockHash', [n]));

// PAPI, from metadata v16 as the runtime serves it.
const metadataOption = await rpc('state_call', ['Metadata_metadata_at_version', hex(u32.enc(16))]);
const metadataRaw = Option(Bytes()).dec(metadataOption);
const lookup = getLookupFn(unifyMetadata(decAnyMetadata(metadataRaw)));
const builder = getDynamicBuilder(lookup);
const decodeExtrinsic = getExtrinsicDecoder(metadataRaw);
const [encodeCall] = builder.buildDefinition(lookup.call);
const events = builder.buildStorage('System', 'Events');
const eventsKey = events.keys.enc();

const papi = [];
for (const [i, hash] of hashes.entries()) {
  const block = { number: i + 1, extrinsics: [], events: [] };
  const { block: { extrinsics } } = await rpc('chain_getBlock', [hash]);
  for (const [x, extrinsic] of extrinsics.entries()) {
    const decoded = await tryDecode('papi', `block ${i + 1} extrinsic ${x}`, () => {
      const d = decodeExtrinsic(extrinsic);
      if (hex(encodeCall(d.call)) !== hex(d.callData)) throw new Error('the call encodes to other bytes');
      return d;
    });
    if (decoded) block.extrinsics.push({
      kind: decoded.type,
      call: `${decoded.call.type}.${decoded.call.value.type}`,
      fields: papiFields(decoded.call.value.value),
    });
  }
  const stored = await rpc('state_getStorage', [eventsKey, hash]);
  const records = await tryDecode('papi', `block ${i + 1} events`, () => {
    const r = events.value.dec(stored);
    if (hex(events.value.enc(r)) !== stored) throw new Error('the events encode to other bytes');
    return r;
  });
  for (const { event } of records ?? []) block.events.push({
    event: `${event.type}.${event.value.type}`,
    fields: papiFields(event.value.value),
  });
  papi.push(block);
}

// polkadot.js, as Apps connects (here over HTTP: the same JSON-RPC).
const api = await ApiPromise.create({ provider: new HttpProvider(url), noInitWarn: true });
const palletName = new Map(api.runtimeMetadata.asLatest.pallets.map((p) => [p.index.toNumber(), p.name.toString()]));
const polkadotJs = [];
for (const [i, hash] of hashes.entries()) {
  const block = { number: i + 1, extrinsics: [], events: [] };
  const raw = (await rpc('chain_getBlock', [hash])).block.extrinsics;
  const signedBlock = await tryDecode('polkadot.js', `block ${i + 1}`, () => api.rpc.chain.getBlock(hash));
  for (const [x, extrinsic] of (signedBlock?.block.extrinsics ?? []).entries()) {
    const entry = await tryDecode('polkadot.js', `block ${i + 1} extrinsic ${x}`, () => {
      // polkadot.js decodes a general transaction but encodes it again wrapped in a second
      // envelope (docs/wallets.md): for those, the call it decoded is checked against the bytes.
      const exact = extrinsic.isGeneral()
        ? raw[x].endsWith(extrinsic.method.toHex().slice(2))
        : extrinsic.toHex() === raw[x];
      if (!exact) throw new Error('the extrinsic encodes to other bytes');
      const { method } = extrinsic;
      const kind = extrinsic.isGeneral() ? 'general' : extrinsic.isSigned ? 'signed' : 'bare';
      return {
        kind,
        call: `${palletName.get(method.callIndex[0])}.${method.meta.name.toString()}`,
        fields: method.meta.fields.map((f) => f.name.unwrapOr('').toString()).filter((n) => n),
      };
    });
    if (entry) block.extrinsics.push(entry);
  }
  const stored = await rpc('state_getStorage', ['0x26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7', hash]);
  const records = await tryDecode('polkadot.js', `block ${i + 1} events`, async () => {
    const r = await (await api.at(hash)).query.system.events();
    if (r.toHex() !== stored) throw new Error('the events encode to other bytes');
    return r;
  });
  for (const { event } of records ?? []) block.events.push({
    event: `${palletName.get(event.index[0])}.${event.meta.name.toString()}`,
    fields: event.meta.fields.map((f) => f.name.unwrapOr('').toString()).filter((n) => n),
  });
  polkadotJs.push(block);
}
await api.disconnect();

console.log(JSON.stringify({ best, papi, polkadotJs, failures }));
process.exitCode = failures.length ? 1 : 0; // not exit(): stdout, a pipe, must drain
