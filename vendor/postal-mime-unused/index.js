/**
 * Stands in for postal-mime (72 KB minified, a third of each function's bundle). The Resend SDK
 * imports it at the top of its one module, for `emails.receiving` (forwarding received emails),
 * and builds every API resource in its constructor, so no bundler can leave it out. We only send.
 * Wired in package.json: "postal-mime": "file:vendor/postal-mime-unused" in dependencies and
 * "overrides": { "postal-mime": "$postal-mime" }. Should a future SDK call it on our send path,
 * this fails loudly instead of doing something else.
 */
export default class PostalMime {
  static parse() {
    throw new Error(
      'postal-mime is not installed in this project (vendor/postal-mime-unused): nothing here parses email.',
    );
  }
}
