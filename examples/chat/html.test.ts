import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { escapeHtml, html } from "./html.js";

describe("html", () => {
  test("escapes every interpolated string, in text and in attributes", () => {
    const name = `<script>alert("x")</script> & 'quoted'`;
    assert.equal(
      html`<p title="${name}">${name}</p>`.toString(),
      `<p title="${escapeHtml(name)}">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;</p>`,
    );
  });

  test("keeps nested html fragments and joins arrays of them", () => {
    const items = ["<a>", "b"].map((item) => html`<li>${item}</li>`);
    // Prettier would format the template as HTML, adding the whitespace this test checks for.
    // prettier-ignore
    const list = html`<ul>${items}</ul>`;
    assert.equal(list.toString(), "<ul><li>&lt;a&gt;</li><li>b</li></ul>");
  });

  test("renders null, undefined and false as nothing, numbers as text", () => {
    assert.equal(html`${null}${undefined}${false}${0}`.toString(), "0");
  });
});
