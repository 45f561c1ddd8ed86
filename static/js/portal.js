// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  if (window.DKFDS) {
    window.DKFDS.init();
  }
});
