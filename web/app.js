/* EasyShifts shared browser helpers. Plain script (no modules), exposes window.ES. */
(function () {
  'use strict';

  var API_PREFIX = '/api/v1';
  var TIMEOUT_MS = 20000;

  /*
   * api(method, path, body, csrf) -> Promise<{status, body, headers}>
   *   path: '/auth/me' (prefixed with /api/v1) or a full '/api/...' path.
   *   body: object sent as JSON, or null/undefined for none.
   *   csrf: value for the X-CSRF-Token header (needed on cookie POST/PUT/PATCH/DELETE).
   * Never rejects: a network failure or timeout gives status 0 and an error envelope
   * with code 'network_error' or 'timeout'. body is the parsed JSON, or null when the
   * response has no JSON body.
   */
  function api(method, path, body, csrf) {
    var url = path.indexOf('/api/') === 0 ? path : API_PREFIX + path;
    var headers = { 'Accept': 'application/json' };
    var init = { method: method, headers: headers, credentials: 'same-origin', cache: 'no-store' };
    if (body !== undefined && body !== null) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    if (csrf) headers['X-CSRF-Token'] = csrf;

    var controller = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = null;
    if (controller) {
      init.signal = controller.signal;
      timer = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    }

    return fetch(url, init).then(function (res) {
      var type = res.headers.get('Content-Type') || '';
      var parse = /\bjson\b/i.test(type) && res.status !== 204
        ? res.json().catch(function () { return null; })
        : Promise.resolve(null);
      return parse.then(function (parsed) {
        if (timer) clearTimeout(timer);
        return { status: res.status, body: parsed, headers: res.headers };
      });
    }, function (err) {
      if (timer) clearTimeout(timer);
      var aborted = err && err.name === 'AbortError';
      return {
        status: 0,
        body: { error: {
          code: aborted ? 'timeout' : 'network_error',
          message: aborted
            ? 'EasyShifts took too long to answer. Check your connection and try again.'
            : 'Could not reach EasyShifts. Check your connection and try again.',
          details: {}
        } },
        headers: new Headers()
      };
    });
  }

  /* The {code, message, details} of a failed response, whatever it carried. */
  function errorOf(res) {
    var e = res && res.body && res.body.error;
    if (e && typeof e === 'object') {
      return {
        code: typeof e.code === 'string' ? e.code : '',
        message: typeof e.message === 'string' ? e.message : '',
        details: e.details && typeof e.details === 'object' ? e.details : {}
      };
    }
    return { code: '', message: '', details: {} };
  }

  /* Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or null. */
  function retryAfterSeconds(headers) {
    var v = headers && headers.get ? headers.get('Retry-After') : null;
    if (!v) return null;
    v = v.trim();
    if (/^\d+$/.test(v)) return parseInt(v, 10);
    var t = Date.parse(v);
    if (isNaN(t)) return null;
    return Math.max(0, Math.ceil((t - Date.now()) / 1000));
  }

  /* "in 40 seconds" / "in 12 minutes (at 14:05)" */
  function describeWait(seconds) {
    if (seconds === null || seconds === undefined) return 'later';
    if (seconds < 1) return 'now';
    if (seconds < 60) return 'in ' + seconds + (seconds === 1 ? ' second' : ' seconds');
    var minutes = Math.ceil(seconds / 60);
    var when = new Date(Date.now() + seconds * 1000);
    var at = '';
    try {
      at = when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    } catch (e) { at = ''; }
    return 'in ' + minutes + (minutes === 1 ? ' minute' : ' minutes') + (at ? ' (at ' + at + ')' : '');
  }

  /* A human sentence for any failed response. */
  function messageFor(res, fallback) {
    var e = errorOf(res);
    var msg = e.message;
    if (res.status === 0) return msg;
    if (res.status === 429 || res.status === 503) {
      var wait = describeWait(retryAfterSeconds(res.headers));
      if (!msg) {
        msg = res.status === 429 ? 'Too many attempts.' : 'EasyShifts is busy or unavailable right now.';
      }
      if (!/[.!?]$/.test(msg)) msg += '.';
      return msg + ' Try again ' + wait + '.';
    }
    if (msg) return msg;
    if (res.status >= 500) {
      return 'EasyShifts is not answering properly right now. Please try again shortly. (HTTP ' + res.status + ')';
    }
    return (fallback || 'Something went wrong.') + ' (HTTP ' + res.status + ')';
  }

  /* Per-field messages from a 400/422 envelope's details, as [[field, text], ...]. */
  function fieldErrors(res) {
    var d = errorOf(res).details;
    var out = [];
    Object.keys(d).forEach(function (k) {
      var v = d[k];
      if (typeof v === 'string') out.push([k, v]);
      else if (v && typeof v === 'object' && typeof v.message === 'string') out.push([k, v.message]);
      else if (Array.isArray(v) && typeof v[0] === 'string') out.push([k, v[0]]);
    });
    return out;
  }

  var ROLE_LABELS = { admin: 'Administrator', manager: 'Manager', employee: 'Employee', client: 'Client' };
  function roleLabel(role) {
    if (typeof role !== 'string' || !role) return 'Unknown';
    return ROLE_LABELS[role] || role.charAt(0).toUpperCase() + role.slice(1).replace(/_/g, ' ');
  }

  function setText(id, text) {
    var el = document.getElementById(id);
    if (el) el.textContent = text == null ? '' : String(text);
    return el;
  }

  function setBusy(button, busy, busyText) {
    if (!button) return;
    if (busy) {
      if (!button.hasAttribute('data-label')) button.setAttribute('data-label', button.textContent);
      button.disabled = true;
      button.setAttribute('aria-busy', 'true');
      if (busyText) button.textContent = busyText;
    } else {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      if (button.hasAttribute('data-label')) button.textContent = button.getAttribute('data-label');
    }
  }

  window.ES = {
    api: api,
    errorOf: errorOf,
    retryAfterSeconds: retryAfterSeconds,
    describeWait: describeWait,
    messageFor: messageFor,
    fieldErrors: fieldErrors,
    roleLabel: roleLabel,
    setText: setText,
    setBusy: setBusy
  };
})();
