// The landing page: lists the sign-in options, and after a provider login shows who is signed in
// (POST /v1/auth/refresh with the latch_refresh cookie, then GET /v1/users/me), with a sign-out button.
// Everything from the network or the address bar is written with textContent, never as HTML.
(function () {
  'use strict';

  var MESSAGES = {
    access_denied: 'The sign-in was cancelled or refused at the provider.',
    signup_disabled: 'There is no account for this sign-in yet, and new accounts cannot be created here. Ask an administrator to create yours.',
    account_disabled: 'This account is disabled. Ask an administrator to enable it.',
    invalid_iss: 'The provider could not be verified. Try again.',
    missing_code: 'The provider did not complete the sign-in. Try again.',
    token_exchange_failed: 'The provider did not complete the sign-in. Try again.',
    invalid_id_token: 'The provider’s answer could not be verified. Try again.',
    userinfo_failed: 'The provider did not send your profile. Try again.',
    missing_identifier: 'The provider did not say who you are. Try another option.',
    provider_unavailable: 'The provider is not available right now. Try again later.',
    provider_error: 'The provider reported an error. Try again.',
    session_failed: 'Your session could not be started. Try again in a moment.',
    server_error: 'Something went wrong on our side. Try again in a moment.'
  };

  var el = function (id) { return document.getElementById(id); };
  var title = el('title');
  var status = el('status');
  var notice = el('notice');
  var providers = el('providers');
  var providerList = el('provider-list');
  var signedIn = el('signed-in');
  var signOut = el('sign-out');
  var authBase = '';

  function showNotice(text, code, kind) {
    el('notice-text').textContent = text;
    el('notice-code').textContent = code ? 'Code: ' + code : '';
    notice.className = 'notice' + (kind ? ' ' + kind : '');
    notice.setAttribute('role', kind === 'info' ? 'status' : 'alert');
    notice.hidden = false;
  }

  function hideNotice() {
    notice.hidden = true;
  }

  function showSignedOut(message) {
    title.textContent = 'Sign in';
    status.textContent = message;
    signedIn.hidden = true;
    providers.hidden = false;
  }

  function showSignedIn(user) {
    var name = user.username || user.displayName || user.email || user.id;
    title.textContent = 'You are signed in';
    status.textContent = 'Your session is active in this browser.';
    el('account-name').textContent = name;
    var details = [];
    if (user.displayName && user.displayName !== name) { details.push(user.displayName); }
    if (user.email) { details.push(user.email); }
    el('account-detail').textContent = details.join(' · ');
    el('avatar').textContent = String(name).trim().charAt(0) || '?';
    signedIn.hidden = false;
    providers.hidden = true;
  }

  function listProviders() {
    return fetch('/v1/identity-providers', { headers: { Accept: 'application/json' } })
      .then(function (r) { if (!r.ok) { throw new Error('providers ' + r.status); } return r.json(); })
      .then(function (page) {
        providerList.textContent = '';
        (page.items || []).forEach(function (p) {
          var li = document.createElement('li');
          var a = document.createElement('a');
          a.className = 'button';
          a.href = '/v1/auth/oauth/' + encodeURIComponent(p.id) + '/start?redirect_to=' + encodeURIComponent('/');
          a.textContent = 'Continue with ' + p.title;
          li.appendChild(a);
          providerList.appendChild(li);
        });
        if (!providerList.children.length) {
          var none = document.createElement('li');
          none.className = 'status';
          none.textContent = 'No sign-in provider is configured yet.';
          providerList.appendChild(none);
        }
      })
      .catch(function () {
        providerList.textContent = '';
        var li = document.createElement('li');
        li.className = 'status';
        li.textContent = 'The sign-in options could not be loaded. Reload the page to try again.';
        providerList.appendChild(li);
      });
  }

  function session() {
    return fetch(authBase + '/v1/auth/refresh', {
      method: 'POST',
      credentials: 'include',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: '{}'
    }).then(function (r) {
      if (r.status === 401) { return null; }
      if (!r.ok) { throw new Error('refresh ' + r.status); }
      return r.json();
    }).then(function (answer) {
      if (!answer) { return null; }
      return fetch(authBase + '/v1/users/me', {
        headers: { Authorization: 'Bearer ' + answer.accessToken, Accept: 'application/json' }
      }).then(function (r) {
        if (!r.ok) { throw new Error('me ' + r.status); }
        return r.json();
      });
    });
  }

  function doSignOut() {
    signOut.disabled = true;
    fetch(authBase + '/v1/auth/signout', {
      method: 'POST',
      credentials: 'include',
      headers: { 'Content-Type': 'application/json' },
      body: '{}'
    }).then(function (r) {
      if (!r.ok) { throw new Error('signout ' + r.status); }
      showSignedOut('Sign in again with one of your accounts.');
      showNotice('You are signed out.', null, 'info');
      title.focus();
    }).catch(function () {
      showNotice('Signing out did not work. Try again.', null);
    }).then(function () {
      signOut.disabled = false;
    });
  }

  function start() {
    var params = new URLSearchParams(window.location.search);
    var error = params.get('oauth_error');
    if (error) {
      var code = error.slice(0, 64);
      showNotice('Sign-in failed. ' + (MESSAGES[code] || 'Try again, or try another option.'), code);
    }
    signOut.addEventListener('click', doSignOut);
    status.textContent = 'Checking your session…';
    var listed = listProviders();
    fetch('/landing/config.json', { headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .catch(function () { return {}; })
      .then(function (config) {
        authBase = (config.authServiceUrl || '').replace(/\/+$/, '');
        return session();
      })
      .then(function (user) {
        return listed.then(function () {
          if (user) {
            hideNotice();
            showSignedIn(user);
          } else {
            showSignedOut('Sign in with one of your accounts. You come back to this page afterwards.');
          }
        });
      })
      .catch(function () {
        return listed.then(function () {
          showSignedOut('Your session could not be checked right now. You can still sign in.');
        });
      });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
