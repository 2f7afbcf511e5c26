// Today keeps that day's rolls for the moments without network: opened online, it stores each roll of the
// day in the cache the service worker answers from offline (sw.js, planner-pages-v1), and says beside each
// one whether it is stored or not (then it cannot be opened without network).
(function () {
  var list = document.getElementById("today-rolls");
  if (!list || !window.caches) return;
  var cache = caches.open("planner-pages-v1");

  function show(link, stored) {
    var mark = link.parentNode.querySelector(".offline-state");
    if (!mark) return;
    mark.textContent = stored ? list.dataset.stored : list.dataset.notStored;
    mark.classList.toggle("warning", !stored);
    mark.hidden = false;
  }

  list.querySelectorAll("a[data-roll]").forEach(function (link) {
    var url = link.getAttribute("href");
    cache.then(function (c) {
      if (!navigator.onLine) return c.match(url).then(function (hit) { show(link, !!hit); });
      return c.add(url).then(function () { show(link, true); }, function () {
        return c.match(url).then(function (hit) { show(link, !!hit); });
      });
    }).catch(function () { show(link, false); });
  });
})();
