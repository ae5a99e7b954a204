// The room page: one socket to /ws/chat/<room>/ speaking switchboard.chat.v2, through
// switchboard/client (served from the package at /static/switchboard-client/). No build step.
import { connect } from "/static/switchboard-client/index.js";

const { room, user: me } = document.querySelector("[data-room]").dataset;
const log = document.getElementById("log");
const presence = document.getElementById("presence");
const status = document.getElementById("status");
const form = document.getElementById("send");
const input = document.getElementById("message");
const button = form.querySelector("button");

function setStatus(text, state) {
  status.textContent = text;
  status.dataset.state = state;
}

function setEnabled(enabled) {
  input.disabled = !enabled;
  button.disabled = !enabled;
  if (enabled) input.focus();
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  // textContent, never innerHTML: messages and names are untrusted.
  if (text !== undefined) node.textContent = text;
  return node;
}

function addMessage(user, text) {
  const item = element("li", user === me ? "message mine" : "message");
  const head = element("div", "meta");
  head.append(element("span", "user", user), element("time", "", new Date().toLocaleTimeString()));
  item.append(head, element("p", "text", text));
  log.append(item);
  log.scrollTop = log.scrollHeight;
}

function addNotice(text) {
  log.append(element("li", "notice", text));
  log.scrollTop = log.scrollHeight;
}

function showPresence(users) {
  presence.replaceChildren(...users.map((user) => element("li", "", user)));
}

function showLoggedOut(why) {
  setStatus("logged out", "error");
  const link = element("a", "", "Log in again");
  link.href = `/login/?next=${encodeURIComponent(location.pathname)}`;
  const notice = element("li", "notice", `${why} `);
  notice.append(link);
  log.append(notice);
}

// The server's live-session close codes (docs/live-sessions.md): the session ended (4001), the
// credentials changed (4002), the session expired (4003). The client never reconnects after a
// refusal; the page says why.
const LOGGED_OUT_CODES = [4001, 4002, 4003];
const TOO_MANY_SOCKETS = 4004;

const socket = connect(`/ws/chat/${encodeURIComponent(room)}/`, {
  protocols: ["switchboard.chat.v2"],
  reconnect: { minDelayMs: 1000, maxDelayMs: 30_000 },
});
let connected = false;

socket.on("open", ({ reconnected }) => {
  if (reconnected) addNotice("Reconnected.");
  connected = true;
  setStatus("connected", "ok");
  setEnabled(true);
});

socket.on("message", (frame) => {
  if (frame.type === "message") addMessage(frame.user, frame.text);
  else if (frame.type === "presence") showPresence(frame.users);
});

socket.on("close", ({ willReconnect }) => {
  if (connected && willReconnect) addNotice("Connection lost.");
  connected = false;
  setEnabled(false);
  showPresence([]);
  if (!willReconnect) setStatus("not connected", "error");
});

socket.on("reconnecting", ({ delayMs }) => {
  setStatus(`reconnecting in ${Math.ceil(delayMs / 1000)}s`, "warn");
});

socket.on("refused", ({ code, reason, handshake }) => {
  // The page itself needs a login, so a refused handshake means the session is gone.
  if (handshake) showLoggedOut("The server refused the connection: you are not logged in.");
  else if (LOGGED_OUT_CODES.includes(code)) showLoggedOut(`Disconnected: ${reason}.`);
  else if (code === TOO_MANY_SOCKETS) {
    addNotice(`Disconnected: ${reason}. Close another tab, then reload this one.`);
  } else addNotice(`Disconnected: ${reason || `close code ${code}`}.`);
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (text === "") return;
  input.value = "";
  // The ack says the room has it; without one the text goes back into the box to try again.
  socket.request({ type: "message", text }).catch((error) => {
    addNotice(`Not confirmed: "${text}" (${error.message})`);
    if (input.value === "") input.value = text;
  });
});
