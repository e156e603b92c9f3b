// Decap CMS's YAML output for records, as its YAML format writes an entry it saves: the `yaml`
// package (1.x, the major version Decap's core depends on; pinned in package.json) parses the
// file, builds a document from the data and orders the top-level keys as the collection's
// fields are ordered. Used by tests/test_cms_yaml.py.
//   node tests/decap_yaml.js '["title","date",...]' FILE...  -> JSON list of the outputs
const fs = require("node:fs");
const YAML = require("yaml");

const order = JSON.parse(process.argv[2]);
const rank = (key) => {
  const at = order.indexOf(key);
  return at === -1 ? order.length : at;
};

const outputs = process.argv.slice(3).map((file) => {
  const data = YAML.parseDocument(fs.readFileSync(file, "utf8")).toJSON();
  const node = YAML.createNode(data);
  node.items.sort((a, b) => rank(String(a.key)) - rank(String(b.key)));
  const doc = new YAML.Document();
  doc.contents = node;
  return doc.toString();
});
process.stdout.write(JSON.stringify(outputs));
