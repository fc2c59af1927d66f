// piscina in the browser bundle: Node's CPU host is never started in a page (the page passes
// the Web Worker host); reaching it is our bug, said plainly.

export class Piscina {
  constructor() {
    throw new Error('internal: piscina (the Node CPU host) was started in a browser');
  }
}
