/* Masthead default theme: counts this page view for the publication's own dashboard.
 * No cookie, no storage, nothing about the reader: the post's id, and whether the paywall's
 * call to action was shown. The server counts the view without keeping the address or the
 * browser's name. Pages without a post (lists, previews, staff views) send nothing. */
(function () {
  'use strict';
  var article = document.querySelector('[data-post-id]');
  if (!article || !navigator.sendBeacon || location.pathname.indexOf('/p/') === 0) return;
  var body = 'post=' + encodeURIComponent(article.getAttribute('data-post-id'));
  if (document.querySelector('.paywall')) body += '&paywall=1';
  navigator.sendBeacon('/api/views', body);
})();
