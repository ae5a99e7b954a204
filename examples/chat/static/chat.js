// The room page: one WebSocket to /ws/chat/<room>/ speaking the switchboard.chat.v1 subprotocol
// (JSON frames from the server, plain text frames from us). No framework, no build step.
const { room, user: me } = document.querySelector("[data-room]").dataset;
const log = document.getElementById("log");
const presence = document.getElementById("presence");
const status = document.getElementById("status");
const form = document.getElementById("send");
const input = document.getElementById("message");
const button = form.querySelector("button");
const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/chat/${encodeURIComponent(room)}/`;

let socket = null;
let failures = 0;
let everOpened = false;

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

// The server's live-session close codes (docs/live-sessions.md): the session ended (4001), the
// credentials changed (4002), the session expired (4003); reconnecting would not help.
const LOGGED_OUT_CODES = [4001, 4002, 4003];
// Too many sockets open for this user (4004).
const TOO_MANY_SOCKETS = 4004;

function showLoggedOut(why) {
  setStatus("logged out", "error");
  const link = element("a", "", "Log in again");
  link.href = `/login/?next=${encodeURIComponent(location.pathname)}`;
  const notice = element("li", "notice", `${why} `);
  notice.append(link);
  log.append(notice);
}

// A refused handshake looks like any dropped connection to a page; /whoami/ tells them apart.
async function explainRefusal() {
  const response = await fetch("/whoami/", { credentials: "same-origin" });
  if (response.status === 403) {
    showLoggedOut("You are no longer logged in.");
    return;
  }
  scheduleReconnect();
}

function scheduleReconnect() {
  failures += 1;
  const delay = Math.min(30, 2 ** failures);
  setStatus(`reconnecting in ${delay}s`, "warn");
  setTimeout(connect, delay * 1000);
}

function connect() {
  setStatus("connecting…", "warn");
  let opened = false;
  socket = new WebSocket(url, "switchboard.chat.v1");
  socket.addEventListener("open", () => {
    if (everOpened) addNotice("Reconnected.");
    everOpened = true;
    opened = true;
    failures = 0;
    setStatus("connected", "ok");
    setEnabled(true);
  });
  socket.addEventListener("message", (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type === "message") addMessage(frame.user, frame.text);
    else if (frame.type === "presence") showPresence(frame.users);
  });
  socket.addEventListener("close", (event) => {
    setEnabled(false);
    showPresence([]);
    if (LOGGED_OUT_CODES.includes(event.code)) {
      showLoggedOut(`Disconnected: ${event.reason}.`);
    } else if (event.code === TOO_MANY_SOCKETS) {
      setStatus("not connected", "error");
      addNotice(`Disconnected: ${event.reason}. Close another tab, then reload this one.`);
    } else if (opened) {
      addNotice("Connection lost.");
      scheduleReconnect();
    } else {
      explainRefusal().catch(scheduleReconnect);
    }
  });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (text === "" || socket?.readyState !== WebSocket.OPEN) return;
  socket.send(text);
  input.value = "";
});

connect();
