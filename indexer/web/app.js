// The PeerGrid indexer's dashboard: plain JavaScript over the indexer's JSON API
// (docs/indexer.md), no build step. Money arrives as planck in decimal text and is shown in
// GRID with the chain's decimals; energy arrives in Wh and is shown in kWh.
"use strict";

const state = { zone: null, decimals: 12, seconds: 900 };
const $ = (id) => document.getElementById(id);

async function api(path) {
  const response = await fetch(path);
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(text || response.statusText);
  }
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function grid(planck) {
  if (planck === null || planck === undefined) return "–";
  const value = BigInt(planck);
  const unit = 10n ** BigInt(state.decimals);
  const cents = (value * 10000n + unit / 2n) / unit; // four decimals, rounded
  const whole = cents / 10000n, fraction = (cents % 10000n).toString().padStart(4, "0");
  return `${whole.toLocaleString("en")}.${fraction}`;
}
const kwh = (wh) => (Number(wh) / 1000).toLocaleString("en", { maximumFractionDigits: 3 });
const count = (n) => Number(n).toLocaleString("en");
const time = (ms) => new Date(Number(ms)).toISOString().replace("T", " ").slice(0, 19);
const short = (account) => (account ? `${account.slice(0, 6)}…${account.slice(-4)}` : "–");

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}
function row(cells) {
  const tr = document.createElement("tr");
  for (const [text, className] of cells) tr.append(cell(text, className));
  return tr;
}
// Puts `rows` in `tbody`, or one row saying `empty` across its `columns`.
function fill(tbody, rows, empty, columns) {
  if (rows.length === 0) {
    const td = cell(empty, "hint");
    td.colSpan = columns;
    rows = [row([])];
    rows[0].append(td);
  }
  tbody.replaceChildren(...rows);
}

async function refreshStatus() {
  const s = await api("/api/status");
  state.decimals = s.tokenDecimals ?? state.decimals;
  state.seconds = s.intervalSeconds || state.seconds;
  const status = $("status");
  $("stopped").hidden = !s.stopped;
  $("stopped").textContent = s.stopped ? `Indexing stopped: ${s.stopped}` : "";
  if (s.height === null) {
    status.textContent = `index empty · chain finalized #${count(s.finalized)}`;
    return;
  }
  status.textContent = `indexed #${count(s.height)} (${time(s.timeMs)} UTC) · finalized #${count(
    s.finalized)} · lag ${count(s.lagBlocks)} · credits issued ${kwh(s.creditsMintedWh - s.creditsRetiredWh)} kWh`;
  status.classList.toggle("lagging", s.lagBlocks > 10);
}

async function refreshZones() {
  const z = await api("/api/zones");
  $("zones-since").textContent = `(24 h: from block #${count(z.sinceBlock)})`;
  const rows = z.zones.map((zone) => {
    const tr = row([
      [zone.zone], [zone.name], [short(zone.operator), "mono"], [count(zone.meters), "n"],
      [grid(zone.lastPrice), "n"], [count(zone.day.trades), "n"],
      [`${kwh(zone.day.tradedWh)} kWh`, "n"], [grid(zone.day.value), "n"],
      [`${kwh(zone.day.exportedWh)} kWh`, "n"], [`${kwh(zone.day.importedWh)} kWh`, "n"],
      [count(zone.day.readings), "n"],
    ]);
    tr.dataset.zone = zone.zone;
    tr.classList.toggle("selected", zone.zone === state.zone);
    tr.addEventListener("click", () => selectZone(zone.zone, zone.name));
    return tr;
  });
  fill($("zones").tBodies[0], rows, "No zones in the index yet.", 11);
  // First the zone that traded most over the day.
  const busiest = [...z.zones].sort((a, b) => b.day.trades - a.day.trades)[0];
  if (state.zone === null && busiest) selectZone(busiest.zone, busiest.name);
}

function selectZone(zone, name) {
  state.zone = zone;
  $("zone").hidden = false;
  $("zone-title").textContent = `${zone} · ${name}`;
  for (const tr of $("zones").tBodies[0].rows) tr.classList.toggle("selected", Number(tr.dataset.zone) === zone);
  refreshZone().catch(showError);
}

async function refreshZone() {
  if (state.zone === null) return;
  const zone = state.zone;
  const [intervals, book, trades] = await Promise.all([
    api(`/api/zones/${zone}/intervals`),
    api(`/api/zones/${zone}/book`).catch((e) => ({ error: e.message, bids: [], asks: [] })),
    api(`/api/zones/${zone}/trades?limit=20`),
  ]);
  if (zone !== state.zone) return;
  const sum = (key) => intervals.intervals.reduce((total, i) => total + Number(i[key]), 0);
  const cards = [
    [count(sum("trades")), "trades"],
    [`${kwh(sum("tradedWh"))} kWh`, "traded"],
    [`${kwh(sum("exportedWh"))} kWh`, "exported"],
    [`${kwh(sum("importedWh"))} kWh`, "imported"],
    [count(sum("readings")), "readings"],
  ];
  $("zone-cards").replaceChildren(...cards.map(([value, label]) => {
    const div = document.createElement("div");
    div.className = "card";
    div.innerHTML = `<b></b><span>${label}, intervals ${intervals.from}–${intervals.to}</span>`;
    div.firstChild.textContent = value;
    return div;
  }));
  priceChart($("price-chart"), intervals);
  volumeChart($("volume-chart"), intervals);
  const levels = Math.max(book.bids.length, book.asks.length);
  const bookRows = [];
  for (let i = 0; i < levels; i++) {
    const bid = book.bids[i], ask = book.asks[i];
    bookRows.push(row([
      [bid ? kwh(bid.amountWh) : "", "n bid"], [bid ? grid(bid.price) : "", "n bid"],
      [ask ? grid(ask.price) : "", "n ask"], [ask ? kwh(ask.amountWh) : "", "n ask"],
    ]));
  }
  fill($("book").tBodies[0], bookRows, book.error || "The book is empty.", 4);
  const tradeRows = trades.map((t) => row([
    [`#${count(t.block)}`], [time(t.timestamp * 1000)],
    [`${short(t.seller)} → ${short(t.buyer)}`, "mono"], [kwh(t.amountWh), "n"],
    [grid(t.price), "n"], [grid(t.fee), "n"],
  ]));
  fill($("trades").tBodies[0], tradeRows, "No trades yet.", 6);
}

const SVG = "http://www.w3.org/2000/svg";
function svg(parent, name, attributes, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (text !== undefined) element.textContent = text;
  parent.append(element);
  return element;
}
// The plot area of a chart, and the x of each interval of the range.
function frame(chart, intervals, top, label) {
  chart.replaceChildren();
  const box = { left: 56, right: 630, top: 10, bottom: 190 };
  const span = Math.max(1, intervals.to - intervals.from + 1);
  const x = (interval) => box.left + ((interval - intervals.from + 0.5) / span) * (box.right - box.left);
  const y = (value) => box.bottom - (top > 0 ? (value / top) * (box.bottom - box.top) : 0);
  svg(chart, "line", { class: "axis", x1: box.left, y1: box.bottom, x2: box.right, y2: box.bottom });
  svg(chart, "line", { class: "axis", x1: box.left, y1: box.top, x2: box.left, y2: box.bottom });
  for (const fraction of [0, 0.5, 1]) {
    svg(chart, "text", { x: box.left - 4, y: y(top * fraction) + 3, "text-anchor": "end" }, label(top * fraction));
  }
  const ticks = [[intervals.from, "start"], [Math.round((intervals.from + intervals.to) / 2), "middle"], [intervals.to, "end"]];
  for (const [interval, anchor] of ticks) {
    const start = new Date(interval * state.seconds * 1000).toISOString().slice(5, 16).replace("T", " ");
    svg(chart, "text", { x: x(interval), y: 205, "text-anchor": anchor }, start);
  }
  return { x, y, width: Math.max(1, ((box.right - box.left) / span) * 0.8), box };
}

function priceChart(chart, intervals) {
  const traded = intervals.intervals.filter((i) => i.averagePrice !== null);
  const unit = 10 ** state.decimals;
  const top = Math.max(0, ...traded.map((i) => Number(i.maxPrice) / unit)) * 1.1;
  const f = frame(chart, intervals, top, (v) => v.toFixed(3));
  if (traded.length === 0) {
    svg(chart, "text", { class: "empty", x: 340, y: 105, "text-anchor": "middle" }, "No trades in these intervals");
    return;
  }
  for (const i of traded) {
    const [low, high] = [Number(i.minPrice) / unit, Number(i.maxPrice) / unit];
    svg(chart, "rect", { class: "band", x: f.x(i.interval) - f.width / 2, y: f.y(high), width: f.width, height: Math.max(1, f.y(low) - f.y(high)) });
  }
  const points = traded.map((i) => `${f.x(i.interval)},${f.y(Number(i.averagePrice) / unit)}`);
  svg(chart, "polyline", { class: "price", points: points.join(" ") });
  for (const i of traded) {
    svg(chart, "circle", { class: "price", cx: f.x(i.interval), cy: f.y(Number(i.averagePrice) / unit), r: 2.5 });
  }
}

function volumeChart(chart, intervals) {
  const series = [["traded", (i) => i.tradedWh], ["exported", (i) => i.exportedWh], ["imported", (i) => i.importedWh]];
  const top = Math.max(0, ...intervals.intervals.flatMap((i) => series.map(([, value]) => value(i) / 1000))) * 1.1;
  const f = frame(chart, intervals, top, (v) => v.toFixed(1));
  if (intervals.intervals.length === 0) {
    svg(chart, "text", { class: "empty", x: 340, y: 105, "text-anchor": "middle" }, "No readings or trades in these intervals");
    return;
  }
  const width = f.width / series.length;
  for (const i of intervals.intervals) {
    series.forEach(([name, value], k) => {
      const kWh = value(i) / 1000;
      svg(chart, "rect", { class: name, x: f.x(i.interval) - f.width / 2 + k * width, y: f.y(kWh), width, height: f.box.bottom - f.y(kWh) });
    });
  }
  series.forEach(([name], k) => {
    svg(chart, "rect", { class: name, x: 70 + k * 90, y: 14, width: 10, height: 10 });
    svg(chart, "text", { x: 84 + k * 90, y: 23 }, name);
  });
}

async function showMeter(event) {
  event.preventDefault();
  const out = $("meter");
  try {
    const m = await api(`/api/meters/${encodeURIComponent($("meter-id").value)}`);
    out.innerHTML = `<p></p><div class="scroll"><table class="grid"><thead><tr><th>Interval</th><th>Block</th>
      <th>Status</th><th class="n">Consumed kWh</th><th class="n">Exported kWh</th><th>Owner</th></tr></thead><tbody></tbody></table></div>`;
    out.firstChild.textContent = `Meter ${m.meter} (${m.externalId}), ${m.kind}, ${count(m.capacityW)} W, zone ${m.zone}, registered to ${m.owner}`;
    const rows = m.readings.map((r) => row([
      [time(r.interval * state.seconds * 1000)], [`#${count(r.block)}`], [r.status, r.status === "accepted" ? "" : "error"],
      [r.consumedWh === null ? "" : kwh(r.consumedWh), "n"], [r.creditsMintedWh === null ? "" : kwh(r.creditsMintedWh), "n"],
      [short(r.owner), "mono"],
    ]));
    fill(out.querySelector("tbody"), rows, "No readings of this meter in the index.", 6);
  } catch (e) {
    out.innerHTML = '<p class="error"></p>';
    out.firstChild.textContent = e.message;
  }
}

async function showAccount(event) {
  event.preventDefault();
  const out = $("account");
  try {
    const a = await api(`/api/accounts/${encodeURIComponent($("account-id").value.trim())}`);
    out.innerHTML = `<p></p><div class="scroll"><table class="grid"><thead><tr><th>Time</th><th>Block</th><th>What</th>
      <th>Counterparty</th><th class="n">kWh</th><th class="n">GRID</th></tr></thead><tbody></tbody></table></div>`;
    out.firstChild.textContent = `${a.entries.length} entries, blocks ${a.fromBlock}–${a.toBlock}${a.truncated ? " (the newest only)" : ""}`;
    const rows = a.entries.map((e) => row([
      [time(e.timeMs)], [`#${count(e.block)}`], [e.kind], [short(e.counterparty), "mono"],
      [e.amountWh ? kwh(e.amountWh) : "", "n"], [e.money !== "0" ? grid(e.money) : "", "n"],
    ]));
    fill(out.querySelector("tbody"), rows, "Nothing for this account in the index.", 6);
  } catch (e) {
    out.innerHTML = '<p class="error"></p>';
    out.firstChild.textContent = e.message;
  }
}

function updateDownloads() {
  const from = Date.parse($("from-date").value), to = Date.parse($("to-date").value);
  for (const name of ["trades", "readings"]) {
    const period = [Number.isNaN(from) ? "" : `fromMs=${from}`, Number.isNaN(to) ? "" : `toMs=${to}`];
    $(`${name}-csv`).href = `/api/${name}.csv?${period.filter(Boolean).join("&")}`;
  }
}

function showError(e) {
  $("status").textContent = `the indexer does not answer: ${e.message}`;
}

async function refresh() {
  try {
    await refreshStatus();
    await refreshZones();
    await refreshZone();
    document.body.dataset.loaded = "true";
  } catch (e) {
    showError(e);
  }
}

$("from-date").value = new Date(Date.now() - 7 * 86400000).toISOString().slice(0, 10);
$("to-date").value = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
for (const id of ["from-date", "to-date"]) $(id).addEventListener("change", updateDownloads);
updateDownloads();
$("meter-form").addEventListener("submit", showMeter);
$("account-form").addEventListener("submit", showAccount);
refresh();
setInterval(refresh, 6000);
