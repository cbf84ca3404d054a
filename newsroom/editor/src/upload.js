// Image uploads to the newsroom's media endpoint, with progress.

/**
 * Posts `file` as the multipart field `file` to `url` with the form's CSRF token. Resolves to
 * `{ url, width, height }` on 201; rejects with an Error carrying the server's message on a
 * refusal (`{ "error", "message" }`), or a general one when the network fails.
 */
export function uploadImage(file, { url, csrf, onProgress = () => {}, XHR = globalThis.XMLHttpRequest }) {
  return new Promise((resolve, reject) => {
    const xhr = new XHR();
    xhr.open('POST', url);
    xhr.setRequestHeader('X-CSRF-Token', csrf || '');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onload = () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status === 201 && body?.url) resolve(body);
      else reject(new Error(body?.message || `The upload failed (HTTP ${xhr.status}).`));
    };
    xhr.onerror = () => reject(new Error('The upload failed: the server could not be reached.'));
    const data = new FormData();
    data.append('file', file, file.name);
    xhr.send(data);
  });
}
