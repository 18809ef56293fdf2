// What polkadot.js (API 16.5, as Apps uses it) makes of PeerGrid's metadata, with no custom
// type definitions: the energy runtime API, the energy_ RPC, docs of calls, events, storage.
// A manual check, with the clients the test command pins:
//   npm ci --prefix scripts/js && node scripts/js/check-polkadot-js.cjs ws://127.0.0.1:9944
// on a dev chain after scripts/demo.sh. docs/build.md shows its output.
const { ApiPromise, WsProvider } = require('@polkadot/api');
(async () => {
  const provider = new WsProvider(process.argv[2]);
  const api = await ApiPromise.create({ provider, noInitWarn: true });
  const bob = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
  console.log('call.energyApi.account:', JSON.stringify((await api.call.energyApi.account(bob)).toHuman()));
  console.log('call.energyApi.orderBook:', JSON.stringify((await api.call.energyApi.orderBook(0)).toHuman()));
  console.log('call.energyApi.orderBook(99):', JSON.stringify((await api.call.energyApi.orderBook(99)).toHuman()));
  console.log('energy_orderBook:', JSON.stringify(await provider.send('energy_orderBook', [0])));
  const trade = api.events.market.Trade.meta;
  console.log('event market.Trade:', trade.docs.join(' '), '|', trade.fields.map(f => `${f.name}: ${f.typeName}`).join(', '));
  console.log('storage readings.meterStates:', api.query.readings.meterStates.creator.meta.docs.join(' '));
  console.log('storage market.orders:', api.query.market.orders.creator.meta.docs.join(' '));
  console.log('tx meters.registerMeter:', api.tx.meters.registerMeter.meta.docs[0].toString());
  console.log('error market.InsufficientCredits:', JSON.stringify(api.errors.market.InsufficientCredits.meta.docs.map(String)));
  const entries = await api.query.market.orders.entries();
  console.log('market.orders entries (open orders):', entries.length, JSON.stringify(entries[0] && entries[0][1].toHuman()));
  await api.disconnect();
})().catch(e => { console.error(e); process.exit(1); });
