package serialize

import (
	"maps"
	"slices"
	"strings"

	"github.com/mxgo/mxgo/graph"
)

// ReaderVersion is the MXNet version whose loader mxgo follows (1.9.1):
// files older than this get MXNet's upgrade passes.
const ReaderVersion = 10901

// upgrader is one of MXNet's load-time passes [src/nnvm/legacy_json_util.cc],
// applied when the file's version is below threshold.
type upgrader struct {
	threshold int
	name      string
	run       func(nodes []*graph.Node)
}

var upgraders = []upgrader{
	{ReaderVersion, "FixParsing", fixParsing},
	{1000000, "Parse", func(nodes []*graph.Node) {
		for _, n := range nodes {
			n.Parse()
		}
	}},
	{900, "000800_000900", addMissingInputs},
	{904, "000903_000904", setInputVarAttrs},
	{905, "000904_000905", fixArgmaxAxis},
}

// upgradeSymbol applies MXNet's upgraders in MXNet's order to a symbol
// loaded from a file of the given mxnet_version (0: absent, i.e. 0.8.0)
// and returns the names of those applied.
func upgradeSymbol(sym *graph.Symbol, version int) []string {
	version = symbolVersionOrDefault(version)
	var applied []string
	for _, u := range upgraders {
		if u.threshold > version {
			u.run(sym.Nodes())
			applied = append(applied, u.name)
		}
	}
	return applied
}

// hiddenMatch reports how key relates to hidden key h: exact, as a suffix
// "<arg>_<h>" (returning <arg>), or set aside because its last occurrence
// of h is at the start or the end (UpgradeJSON_FixParsing's test).
func hiddenMatch(key, h string) (setAside, exact bool, arg string) {
	pos := strings.LastIndex(key, h)
	if pos < 0 || (pos != 0 && pos != len(key)-len(h)) {
		return false, false, ""
	}
	if pos == 0 {
		return true, len(key) == len(h), ""
	}
	if pos > 1 {
		return true, false, key[:pos-1]
	}
	return true, false, ""
}

// fixParsing is UpgradeJSON_FixParsing: attribute keys that look like
// hidden keys are set aside, then put back: an exact key (lr_mult) as
// __lr_mult__ on the same node; "<arg>_lr_mult" on an op node moves to the
// variable feeding input <arg> as __lr_mult__; anything else returns under
// its own name.
func fixParsing(nodes []*graph.Node) {
	for _, n := range nodes {
		var aside []string
		for _, k := range slices.Sorted(maps.Keys(n.Attrs)) {
			for _, h := range graph.HiddenKeys() {
				if set, _, _ := hiddenMatch(k, h); set {
					aside = append(aside, k)
					break
				}
			}
		}
		if len(aside) == 0 {
			continue
		}
		values := map[string]string{}
		for _, k := range aside {
			values[k] = n.Attrs[k]
			delete(n.Attrs, k)
		}
		n.Parse()
		for _, k := range aside {
			if !restoreHidden(n, k, values[k]) {
				n.Attrs[k] = values[k]
			}
		}
	}
}

// restoreHidden puts a set-aside key back where MXNet does; false means it
// returns under its original name.
func restoreHidden(n *graph.Node, k, v string) bool {
	for _, h := range graph.HiddenKeys() {
		set, exact, arg := hiddenMatch(k, h)
		if !set {
			continue
		}
		if exact {
			n.Attrs["__"+h+"__"] = v
			return true
		}
		if arg == "" {
			continue // e.g. lr_mult_x: try the other hidden keys
		}
		if n.IsVariable() {
			return false
		}
		names := n.InputNames()
		idx := slices.Index(names, arg)
		if idx < 0 || idx >= len(n.Inputs) || !n.Inputs[idx].Node.IsVariable() {
			return false
		}
		n.Inputs[idx].Node.Attrs["__"+h+"__"] = v
		return true
	}
	return false
}

// addMissingInputs is UpgradeJSON_000800_000900: files before 0.9 stored
// no auxiliary-state nodes, so ops with fewer inputs than they take get
// variables named <node>_<input> carrying a copy of the node's attributes.
func addMissingInputs(nodes []*graph.Node) {
	for _, n := range nodes {
		names := n.InputNames()
		for i := len(n.Inputs); i < len(names); i++ {
			name := names[i]
			if n.Name != "" {
				name = n.Name + "_" + name
			}
			v := graph.NewVariableNode(name, n.Attrs)
			n.Inputs = append(n.Inputs, graph.Entry{Node: v})
		}
	}
}

// setInputVarAttrs is UpgradeJSON_000903_000904: re-run the ops'
// FSetInputVarAttrOnCompose on their variable inputs (BatchNorm's moving
// statistics initializers, PReLU's gamma, UpSampling's bilinear weight).
func setInputVarAttrs(nodes []*graph.Node) {
	for _, n := range nodes {
		if n.IsVariable() || !n.Ready() || n.Op.InputVarAttrs == nil {
			continue
		}
		for i, e := range n.Inputs {
			if !e.Node.IsVariable() {
				continue
			}
			for k, v := range n.Op.InputVarAttrs(n.Params, i) {
				if _, ok := e.Node.Attrs[k]; !ok {
					e.Node.Attrs[k] = v
				}
			}
		}
	}
}

// fixArgmaxAxis is UpgradeJSON_000904_000905: argmax/argmin's axis became
// optional, and -1 now means None.
func fixArgmaxAxis(nodes []*graph.Node) {
	for _, n := range nodes {
		if (n.OpName == "argmax" || n.OpName == "argmin") && n.Attrs["axis"] == "-1" {
			delete(n.Attrs, "axis")
			n.Parse()
		}
	}
}
