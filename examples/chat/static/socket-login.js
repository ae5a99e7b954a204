// The login page's "Sign in over WebSocket": credentials go over a WebSocket, whose login()
// rotates the session key on the server; the page then exchanges the hand-off token it gets
// back for the new session cookie, so the next page (and a reload) is logged in.
const form = document.querySelector("form[action='/login/']");
const button = document.getElementById("socket-login");
const error = document.getElementById("socket-login-error");

function fail(text) {
  error.textContent = text;
  error.hidden = false;
  button.disabled = false;
}

button.addEventListener("click", () => {
  if (!form.reportValidity()) return;
  button.disabled = true;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/login/`);
  socket.onopen = () =>
    socket.send(JSON.stringify({ username: form.username.value, password: form.password.value }));
  socket.onerror = () => fail("The connection failed; try again.");
  socket.onmessage = async ({ data }) => {
    socket.close();
    const { handoff, error: refused } = JSON.parse(data);
    if (refused) return fail(refused);
    const response = await fetch("/session/handoff/", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: handoff }),
    });
    if (!response.ok) return fail("The session could not be handed over; try again.");
    location.assign(form.next.value);
  };
});
