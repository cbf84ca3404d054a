/* Masthead default theme: progressive enhancement only. Every page works without this file. */
(function () {
  'use strict';

  // The search form's clear button is a plain reset button. A reset restores the value the
  // page was rendered with (the current query), so with JavaScript we empty the box instead
  // and put the cursor back in it.
  document.addEventListener('click', function (event) {
    var target = event.target;
    if (!target || typeof target.closest !== 'function') return;
    var button = target.closest('.search-clear');
    if (!button) return;
    var form = button.form || button.closest('form');
    var input = form && form.querySelector('input[type="search"]');
    if (!input) return;
    event.preventDefault();
    input.value = '';
    input.focus();
  });
})();
