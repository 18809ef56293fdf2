// Opens the indexer's dashboard in headless Chromium (Debian's, driven by playwright-core: no
// browser is downloaded) as a regulator would, checks that it shows the zones, a zone's
// charts, order book and trades, a meter's history and an account's statement, and keeps a
// screenshot. Used by the end-to-end test `indexer`; by hand:
//   node scripts/js/check-dashboard.cjs http://127.0.0.1:8090/ METER ACCOUNT dashboard.png
// It prints what it saw as JSON, and fails with what is missing.
"use strict";
const { chromium } = require("playwright-core");

const [url, meter, account, screenshot] = process.argv.slice(2);
if (!url || !meter || !account || !screenshot) {
  console.error("usage: check-dashboard.cjs URL METER ACCOUNT SCREENSHOT.png");
  process.exit(2);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1500 } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(url);
    // The first refresh done: status, zones and the first zone's panel.
    await page.waitForSelector("body[data-loaded=true]", { timeout: 30000 });
    await page.waitForSelector("#price-chart circle", { timeout: 30000 });
    const seen = await page.evaluate(() => ({
      status: document.getElementById("status").textContent,
      zones: [...document.querySelectorAll("#zones tbody tr")].map((tr) => tr.cells[1].textContent),
      pricePoints: document.querySelectorAll("#price-chart circle").length,
      volumeBars: document.querySelectorAll("#volume-chart rect.traded").length,
      bookRows: document.querySelectorAll("#book tbody tr").length,
      trades: [...document.querySelectorAll("#trades tbody tr")].filter((tr) => tr.cells.length === 6).length,
    }));
    await page.fill("#meter-id", meter);
    await page.click("#meter-form button");
    await page.waitForSelector("#meter tbody tr", { timeout: 10000 });
    seen.meterReadings = await page.locator("#meter tbody tr").count();
    await page.fill("#account-id", account);
    await page.click("#account-form button");
    await page.waitForSelector("#account tbody tr", { timeout: 10000 });
    seen.statementEntries = await page.locator("#account tbody tr").count();
    seen.tradesCsv = await page.getAttribute("#trades-csv", "href");
    seen.errors = errors;
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(JSON.stringify(seen));
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
