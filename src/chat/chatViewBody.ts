/**
 * The chat view's static markup. Ids and classes here are what the webview script and the
 * end-to-end tests find; nothing in it comes from a model or a user.
 * Icons are plain characters with labels: no icon font is bundled, and none is fetched.
 */
export const CHAT_BODY = `<header id="header">
  <label for="backend-picker" class="visually-hidden">Chat backend and model</label>
  <select id="backend-picker" title="Chat backend and model, with the price per 1M input / output tokens"></select>
  <div id="header-actions">
    <button type="button" id="set-price" title="This backend's price is unknown: set it per 1M tokens" hidden>Set price…</button>
    <button type="button" id="manage-backends" class="icon" title="Switch or add a provider" aria-label="Switch or add a provider">⋯</button>
    <button type="button" id="history" class="icon" title="Past conversations" aria-label="Past conversations" aria-expanded="false" aria-controls="history-panel">☰</button>
    <button type="button" id="new" class="icon" title="New chat" aria-label="New chat">+</button>
  </div>
</header>
<div id="session-total" class="meta"></div>
<nav id="history-panel" aria-label="Past conversations" hidden>
  <ul id="history-list"></ul>
  <p id="history-empty" class="meta" hidden>No past conversations in this workspace yet.</p>
</nav>
<div id="log" role="log" aria-label="Conversation" aria-busy="false" tabindex="0"></div>
<div id="status" role="status" aria-live="polite" class="meta"></div>
<form id="composer" aria-label="Ask">
  <div id="context" role="group" aria-label="Context sent with your message">
    <ul id="chips" aria-label="Context"></ul>
    <button type="button" id="add-context" class="link" title="Add files to the context">+ Add files…</button>
    <span id="context-total" class="meta"></span>
  </div>
  <textarea id="input" rows="3" aria-label="Message" aria-describedby="input-hint" placeholder="Ask about your code" disabled></textarea>
  <div class="actions">
    <span id="input-hint" class="meta">Enter sends · Shift+Enter new line · Escape stops</span>
    <button type="button" id="regenerate" class="secondary" title="Ask the last question again" disabled>Regenerate</button>
    <button type="button" id="stop" class="secondary" title="Stop (Escape)" disabled>Stop</button>
    <button type="submit" id="send" disabled>Send</button>
  </div>
</form>`;
