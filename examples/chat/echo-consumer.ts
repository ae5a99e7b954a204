import {
  WebsocketConsumer,
  type AuthScope,
  type WebsocketFrame,
  type WebsocketScope,
} from "switchboard";

/** `/ws/echo/`: signed-in clients only (anonymous ones get HTTP 403); echoes every text frame. */
export class EchoConsumer extends WebsocketConsumer<WebsocketScope & AuthScope> {
  override async connect(): Promise<void> {
    if (this.scope.user.isAuthenticated) await this.accept();
    else await this.close();
  }

  override async receive(frame: WebsocketFrame): Promise<void> {
    if (frame.text !== undefined) await this.send({ text: frame.text });
  }
}
