// The login page's "Sign in over WebSocket": credentials go over a WebSocket, whose login()
// rotates the session key on the server; the page then exchanges the hand-off token it gets
// back for the new session cookie, so the next page (and a reload) is logged in.
import { connect, exchangeHandoff, HandoffFailed } from "/static/switchboard-client/index.js";

const form = document.querySelector("form[action='/login/']");
const button = document.getElementById("socket-login");
const error = document.getElementById("socket-login-error");

function fail(text) {
  error.textContent = text;
  error.hidden = false;
  button.disabled = false;
}

async function signIn() {
  const socket = connect("/ws/login/", { reconnect: false });
  try {
    const answer = await socket.request({
      username: form.username.value,
      password: form.password.value,
    });
    if (answer.error) return fail(answer.error);
    await exchangeHandoff(answer.handoff);
    location.assign(form.next.value);
  } catch (failure) {
    fail(
      failure instanceof HandoffFailed
        ? "The session could not be handed over; try again."
        : "The connection failed; try again.",
    );
  } finally {
    socket.close();
  }
}

button.addEventListener("click", () => {
  if (!form.reportValidity()) return;
  button.disabled = true;
  signIn();
});
