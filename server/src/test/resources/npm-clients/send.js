// Sends identify / track / page calls for many users through a stock client library.
// usage: node send.js segment|rudder HOST WRITE_KEY PREFIX USERS
// The plan (what is sent) is mirrored by NpmClientsTest.expectedProfile().
const [client, host, writeKey, prefix, usersArg] = process.argv.slice(2);
const users = parseInt(usersArg, 10);

function make() {
  if (client === 'segment') {
    const { Analytics } = require('@segment/analytics-node');
    return new Analytics({ writeKey, host, flushAt: 25, flushInterval: 100, maxRetries: 5 });
  }
  const Analytics = require('@rudderstack/rudder-sdk-node');
  return new Analytics(writeKey, { dataPlaneUrl: host, flushAt: 25, flushInterval: 100, logLevel: 'error' });
}

async function main() {
  const a = make();
  const sent = [];
  const call = (method, msg) => sent.push(new Promise((resolve, reject) =>
    a[method](msg, (err) => (err ? reject(err) : resolve()))));
  for (let i = 0; i < users; i++) {
    const userId = `${prefix}-${i}`;
    call('identify', { userId, traits: { email: `${prefix}-${i}@example.com`, name: `User ${i}`, plan: i % 2 === 0 ? 'pro' : 'free', age: 20 + i } });
    for (let k = 0; k < 1 + (i % 3); k++) {
      call('track', { userId, event: 'Product Viewed', properties: { product_id: `sku-${k}`, price: 10 + k } });
    }
    call('page', { userId, name: 'Home', properties: { path: '/' } });
  }
  let done = false;
  const all = Promise.all(sent).finally(() => { done = true; });
  if (client === 'segment') {
    await all;
    await a.closeAndFlush({ timeout: 30000 });
  } else {
    while (!done) {
      await a.flush();
      await new Promise((r) => setTimeout(r, 50));
    }
    await all;
  }
  console.log(`${client}: sent ${sent.length} calls`);
}

main().then(() => process.exit(0), (e) => { console.error(`${client} failed:`, e); process.exit(1); });
