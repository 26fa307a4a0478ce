/*! tessera.js — Tessera's site snippet (served at /t/s.js). Sends Segment-shaped page, track and
 * identify calls to the Tessera that served it, from any website:
 *   <script async src="https://tessera.example.com/t/s.js" data-write-key="WRITE_KEY"></script>
 * Calls made before it loads are queued:  window.tessera = window.tessera || [];
 *   tessera.push(["track", "Product Viewed", {sku: "SKU-1"}]);
 * After load: tessera.page(), tessera.track(name, props), tessera.identify(userId, traits),
 * tessera.reset(), tessera.anonymousId(). data-auto-page="false" turns off the page call on load.
 * Requests are CORS "simple" requests (text/plain body with the write key inside, as Segment's
 * analytics.js does), sent with navigator.sendBeacon when available so they survive navigation.
 */
(function () {
  "use strict";
  var script = document.currentScript || (function () {
    var s = document.getElementsByTagName("script");
    for (var i = s.length - 1; i >= 0; i--) if (/\/t\/s\.js(\?|$)/.test(s[i].src)) return s[i];
    return null;
  })();
  if (!script) return;
  var writeKey = script.getAttribute("data-write-key") || "";
  var base = script.src.replace(/\/t\/s\.js(\?.*)?$/, "");
  var COOKIE = "tsr_aid", USER = "tsr_uid";

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0; return (c === "x" ? r : (r & 3 | 8)).toString(16);
    });
  }
  function store(name, value) {
    try { if (value === null) localStorage.removeItem(name); else localStorage.setItem(name, value); } catch (e) { /* private mode */ }
    var expires = value === null ? "Thu, 01 Jan 1970 00:00:00 GMT" : new Date(Date.now() + 365 * 864e5).toUTCString();
    document.cookie = name + "=" + encodeURIComponent(value || "") + "; expires=" + expires + "; path=/; SameSite=Lax";
  }
  function load(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    if (m && m[1]) return decodeURIComponent(m[1]);
    try { return localStorage.getItem(name); } catch (e) { return null; }
  }
  var anonymousId = load(COOKIE);
  if (!anonymousId) { anonymousId = uuid(); store(COOKIE, anonymousId); }
  var userId = load(USER);

  function context() {
    return {
      library: { name: "tessera.js", version: "1" },
      page: { path: location.pathname, url: location.href, referrer: document.referrer, title: document.title, search: location.search },
      userAgent: navigator.userAgent,
      locale: navigator.language
    };
  }
  function send(call) {
    call.messageId = uuid();
    call.anonymousId = anonymousId;
    if (userId) call.userId = userId;
    call.timestamp = new Date().toISOString();
    call.context = context();
    var body = JSON.stringify({ batch: [call], writeKey: writeKey, sentAt: new Date().toISOString() });
    var url = base + "/v1/batch";
    if (navigator.sendBeacon && navigator.sendBeacon(url, new Blob([body], { type: "text/plain" }))) return;
    if (window.fetch) {
      fetch(url, { method: "POST", body: body, keepalive: true, mode: "cors", headers: { "Content-Type": "text/plain" } })
        .catch(function () { /* offline: the call is lost, as with any beacon */ });
    }
  }
  var api = {
    page: function (name, properties) {
      var c = { type: "page", properties: properties || {} };
      if (typeof name === "string") c.name = name;
      c.properties.url = c.properties.url || location.href;
      c.properties.path = c.properties.path || location.pathname;
      c.properties.title = c.properties.title || document.title;
      c.properties.referrer = c.properties.referrer || document.referrer;
      send(c);
    },
    track: function (event, properties) { send({ type: "track", event: String(event), properties: properties || {} }); },
    identify: function (id, traits) {
      if (typeof id === "object" && id !== null) { traits = id; id = null; }
      if (id) { userId = String(id); store(USER, userId); }
      send({ type: "identify", traits: traits || {} });
    },
    reset: function () { userId = null; store(USER, null); anonymousId = uuid(); store(COOKIE, anonymousId); },
    anonymousId: function () { return anonymousId; },
    push: function (args) { var f = api[args[0]]; if (typeof f === "function") f.apply(api, Array.prototype.slice.call(args, 1)); }
  };
  var queued = window.tessera;
  window.tessera = api;
  if (Object.prototype.toString.call(queued) === "[object Array]") for (var i = 0; i < queued.length; i++) api.push(queued[i]);
  if (script.getAttribute("data-auto-page") !== "false") api.page();
})();
