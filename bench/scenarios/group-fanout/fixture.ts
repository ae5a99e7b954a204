/** What both group-fanout servers send to every socket when any socket sends {@link GO}. */
export const GO = "go";
export const PAYLOAD = JSON.stringify({ type: "chat.message", text: "x".repeat(100) });
