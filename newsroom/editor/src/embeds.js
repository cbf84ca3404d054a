// Which embeds a story may carry: the same providers the server's sanitizer allows
// (render::markdown::EMBED_PREFIXES), and how a pasted watch link becomes an embed address.

export const EMBED_PREFIXES = [
  'https://www.youtube-nocookie.com/embed/',
  'https://www.youtube.com/embed/',
  'https://player.vimeo.com/video/',
  'https://w.soundcloud.com/player/',
  'https://open.spotify.com/embed/',
];

/** Whether the server would keep an iframe with this `src`. */
export function allowedEmbed(src) {
  return typeof src === 'string' && EMBED_PREFIXES.some((p) => src.startsWith(p));
}

/**
 * The embed for a pasted or typed link, or null: YouTube and Vimeo watch links become their
 * players (YouTube's privacy-enhanced one), and an allowed player address stays as it is.
 */
export function embedFor(text) {
  const link = (text || '').trim();
  if (allowedEmbed(link)) return { src: link, title: titleFor(link) };
  let url;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.replace(/^(www\.|m\.)/, '');
  const youtube = (id) =>
    /^[\w-]{6,20}$/.test(id || '')
      ? { src: `https://www.youtube-nocookie.com/embed/${id}`, title: 'YouTube video' }
      : null;
  if (host === 'youtube.com' && url.pathname === '/watch') return youtube(url.searchParams.get('v'));
  if (host === 'youtube.com' && url.pathname.startsWith('/shorts/')) return youtube(url.pathname.split('/')[2]);
  if (host === 'youtu.be') return youtube(url.pathname.slice(1));
  const vimeo = url.pathname.match(/^\/(\d{4,12})\/?$/);
  if (host === 'vimeo.com' && vimeo) {
    return { src: `https://player.vimeo.com/video/${vimeo[1]}`, title: 'Vimeo video' };
  }
  return null;
}

function titleFor(src) {
  if (src.includes('youtube')) return 'YouTube video';
  if (src.includes('vimeo')) return 'Vimeo video';
  if (src.includes('soundcloud')) return 'SoundCloud audio';
  return 'Spotify player';
}
