// The editing form's own script, loaded after Decap CMS's bundle (templates/admin/index.html.j2):
// a read-only widget for what `briefing import` writes, and the empty values that a cleared field
// leaves taken out before a save (`briefing check` refuses an empty `role: ""`).
const CMS = window.CMS;
const h = window.h;

const isMap = (value) => Boolean(value?.["@@__IMMUTABLE_MAP__@@"]);
const isList = (value) => Boolean(value?.["@@__IMMUTABLE_LIST__@@"]);

/** A value with its empty parts removed: "", null, and lists and mappings left empty. */
function pruned(value) {
  if (isMap(value)) {
    return value.map(pruned).filter((v) => !isEmpty(v));
  }
  if (isList(value)) {
    return value.map(pruned).filter((v) => !isEmpty(v));
  }
  return typeof value === "string" && value.trim() === "" ? null : value;
}

function isEmpty(value) {
  if (value === null || value === undefined) {
    return true;
  }
  return (isMap(value) || isList(value)) && value.size === 0;
}

/** Lines of YAML-like text for a value shown read-only. */
function lines(value, indent) {
  if (isMap(value) || isList(value)) {
    return value
      .entrySeq()
      .toArray()
      .flatMap(([key, item]) => {
        const label = isList(value) ? "-" : `${key}:`;
        if (isMap(item) || isList(item)) {
          return [`${indent}${label}`, ...lines(item, `${indent}  `)];
        }
        return [`${indent}${label} ${item}`];
      });
  }
  return value === undefined || value === null ? [] : [`${indent}${value}`];
}

function ReadOnly(props) {
  const text = lines(props.value, "").join("\n") || "(none)";
  return h("pre", { className: props.classNameWrapper, id: props.forID }, text);
}

function ReadOnlyPreview(props) {
  return h("pre", {}, lines(props.value, "").join("\n"));
}

CMS.registerWidget("briefing-readonly", ReadOnly, ReadOnlyPreview);
CMS.registerEventListener({
  name: "preSave",
  handler: ({ entry }) => pruned(entry.get("data")),
});
