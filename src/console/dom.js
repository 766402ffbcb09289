// Builds elements from data without ever parsing it as HTML (no innerHTML: whatever the API
// says is text), and keeps keyed lists in place so that a refresh never steals the focus or
// what the pharmacist is typing.

/** h("p", { class: "x", onclick: fn, "aria-label": "…" }, "text", child) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = value;
    else if (name in el && typeof value !== "string") el[name] = value;
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

/** A labelled one-line text field the browser must not fill or correct (a NISS, an approval). */
export function textField({ id, name, label, maxlength, ...attrs }) {
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    h("input", { id, name, type: "text", autocomplete: "off", spellcheck: "false", maxlength, ...attrs }),
  );
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el) {
  el.replaceChildren();
  keyed.delete(el);
}

const keyed = new WeakMap();

/**
 * Shows `items` in `container` in order, one element per key: an element whose key is still
 * there is left in place (focus and input stay; `update` may refresh its live parts), new keys
 * are built, gone ones removed.
 */
export function syncList(container, items, keyOf, build, update) {
  const before = keyed.get(container) ?? new Map();
  const after = new Map();
  for (const item of items) {
    const key = keyOf(item);
    const el = before.get(key) ?? build(item);
    update?.(el, item);
    after.set(key, el);
  }
  for (const [key, el] of before) if (!after.has(key)) el.remove();
  let i = 0;
  for (const el of after.values()) {
    if (container.children[i] !== el) container.insertBefore(el, container.children[i] ?? null);
    i++;
  }
  keyed.set(container, after);
}
