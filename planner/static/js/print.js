// The print button of sheets and schedule cards (the Content-Security-Policy allows no inline onclick).
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) window.print();
});
