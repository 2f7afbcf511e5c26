// Small helpers for htmx attributes. A tap id is made on the tablet so a resent tap is applied once.
function plannerTapId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();  // only in secure contexts
  return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}
function plannerTap() {
  return { client_id: plannerTapId(), device_time: new Date().toISOString() };
}
