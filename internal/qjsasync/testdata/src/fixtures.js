// The JavaScript of qjsasync.wasm (componentize-qjs, async runtime): the
// exports of witc:qjsasync/api. The functions of scalars, strings, lists,
// records and results, and Counter's add, await once before they answer.

class Counter {
  constructor(start) {
    this.value = start;
  }
  async add(n) {
    await Promise.resolve();
    this.value += n;
    return this.value;
  }
}

export const api = {
  Counter,

  async add(a, b) {
    await Promise.resolve();
    return a + b;
  },
  async isEven(n) {
    await Promise.resolve();
    return n % 2 === 0;
  },
  async halve(x) {
    await Promise.resolve();
    return x / 2;
  },
  async greet(name) {
    await Promise.resolve();
    return "Hello, " + name + "!";
  },
  async sumList(xs) {
    await Promise.resolve();
    let sum = 0;
    for (const x of xs) sum += x;
    return sum;
  },
  async reverseWords(words) {
    await Promise.resolve();
    return [...words].reverse();
  },
  async scale(p, k) {
    await Promise.resolve();
    return { x: p.x * k, y: p.y * k };
  },
  async describe(p) {
    await Promise.resolve();
    return p.name + " is " + p.age;
  },
  async makePerson(name, age) {
    await Promise.resolve();
    return { name, age };
  },
  async checkedDiv(a, b) {
    await Promise.resolve();
    if (b === 0) throw "division by zero";
    return Math.floor(a / b);
  },

  async upper(input) {
    return (async function* () {
      for await (const s of input) {
        yield s.toUpperCase();
      }
    })();
  },
  async stats(input) {
    const { readable, writable } = wit.Future(wit.Future.BYTE_STATS);
    (async () => {
      let count = 0;
      let sum = 0;
      for await (const chunk of input) {
        for (const b of chunk) {
          count += 1;
          sum += b;
        }
      }
      await writable.write({ count, sum });
    })();
    return readable;
  },
  async plusOne(x) {
    const v = await x.read();
    return v + 1;
  },
  async countTo(n) {
    return (async function* () {
      for (let i = 1; i <= n; i++) yield i;
    })();
  },
};
