// Every page's own modules, loaded by one <script type="module"> (templates/overrides/main.html)
// instead of one each: the header's search box, the timeline pages' filters and lanes, and the
// highlighting of searched words. Imports run in this order, after Material's bundle (modules
// are deferred), as the three scripts did.
import "./search/header.js";
import "./timeline.js";
import "./highlight.js";
