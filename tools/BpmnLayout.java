import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Writes the diagram interchange (shapes and edges) of BPMN files from layout hints, so that every process opens in
 * Camunda Modeler and renders in Cockpit with a clean left-to-right layout.
 *
 * <p>Hints, in namespace {@value #LAYOUT}: {@code layout:cell="COL,ROW"} on every flow node but boundary events (one
 * global grid; an expanded subprocess is drawn around its children); {@code layout:attach="0.3"} on a boundary event
 * (where along its host's bottom edge); {@code layout:via="above|below"} on a sequence flow to route it through a
 * channel above or below its ends.
 *
 * <p>Run: {@code java tools/BpmnLayout.java processes/*.bpmn}. Existing DI is replaced.
 */
public class BpmnLayout {

	static final String BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL";
	static final String BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI";
	static final String DC = "http://www.omg.org/spec/DD/20100524/DC";
	static final String DI = "http://www.omg.org/spec/DD/20100524/DI";
	static final String LAYOUT = "http://runbook.dev/schema/layout";

	static final int COL_W = 200;
	static final int ROW_H = 150;
	static final int X0 = 110;
	static final int Y0 = 110;
	static final int PAD = 30;
	static final int CHANNEL = 28;

	static final Set<String> TASKS = Set.of("task", "serviceTask", "userTask", "callActivity", "scriptTask",
			"sendTask", "receiveTask", "manualTask", "businessRuleTask");
	static final Set<String> EVENTS = Set.of("startEvent", "endEvent", "intermediateCatchEvent",
			"intermediateThrowEvent", "boundaryEvent");
	static final Set<String> GATEWAYS = Set.of("exclusiveGateway", "parallelGateway", "inclusiveGateway",
			"eventBasedGateway", "complexGateway");

	record Box(double x, double y, double w, double h) {
		double cx() {
			return x + w / 2;
		}

		double cy() {
			return y + h / 2;
		}

		double right() {
			return x + w;
		}

		double bottom() {
			return y + h;
		}
	}

	record Point(double x, double y) {
	}

	final Map<String, Element> nodes = new LinkedHashMap<>();
	final Map<String, Box> boxes = new LinkedHashMap<>();
	final Map<String, String> kinds = new HashMap<>();

	public static void main(String[] args) throws Exception {
		if (args.length == 0) {
			System.err.println("usage: java tools/BpmnLayout.java processes/*.bpmn");
			System.exit(2);
		}
		for (String file : args) {
			new BpmnLayout().layout(new File(file));
			System.out.println("laid out " + file);
		}
	}

	void layout(File file) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(true);
		Document doc = factory.newDocumentBuilder().parse(file);
		Element definitions = doc.getDocumentElement();
		for (Element old : children(definitions, BPMNDI, "BPMNDiagram")) {
			definitions.removeChild(old);
		}
		definitions.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:bpmndi", BPMNDI);
		definitions.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:dc", DC);
		definitions.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:di", DI);

		for (Element process : children(definitions, BPMN, "process")) {
			nodes.clear();
			boxes.clear();
			kinds.clear();
			collect(process);
			placeCells(process);
			placeBoundaryEvents();
			Element diagram = doc.createElementNS(BPMNDI, "bpmndi:BPMNDiagram");
			diagram.setAttribute("id", "BPMNDiagram_" + process.getAttribute("id"));
			Element plane = doc.createElementNS(BPMNDI, "bpmndi:BPMNPlane");
			plane.setAttribute("id", "BPMNPlane_" + process.getAttribute("id"));
			plane.setAttribute("bpmnElement", process.getAttribute("id"));
			diagram.appendChild(plane);
			definitions.appendChild(diagram);
			// Subprocesses first, so that their children are drawn on top of them.
			nodes.keySet().stream().sorted((a, b) -> Boolean.compare(!"subProcess".equals(kinds.get(a)),
					!"subProcess".equals(kinds.get(b)))).forEach(id -> plane.appendChild(shape(doc, id)));
			for (Element flow : descendants(process, "sequenceFlow")) {
				plane.appendChild(edge(doc, flow));
			}
		}
		stripWhitespace(definitions);
		var transformer = TransformerFactory.newInstance().newTransformer();
		transformer.setOutputProperty(OutputKeys.INDENT, "yes");
		transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
		transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
		doc.setXmlStandalone(true);
		transformer.transform(new DOMSource(doc), new StreamResult(file));
	}

	void collect(Element container) {
		for (Node n = container.getFirstChild(); n != null; n = n.getNextSibling()) {
			if (n instanceof Element e && BPMN.equals(e.getNamespaceURI())) {
				String kind = e.getLocalName();
				if (TASKS.contains(kind) || EVENTS.contains(kind) || GATEWAYS.contains(kind) || kind.equals("subProcess")) {
					nodes.put(e.getAttribute("id"), e);
					kinds.put(e.getAttribute("id"), kind);
					if (kind.equals("subProcess")) {
						collect(e);
					}
				}
			}
		}
	}

	void placeCells(Element process) {
		for (var entry : nodes.entrySet()) {
			String kind = kinds.get(entry.getKey());
			if (kind.equals("boundaryEvent") || kind.equals("subProcess")) {
				continue;
			}
			String cell = entry.getValue().getAttributeNS(LAYOUT, "cell");
			if (cell.isBlank()) {
				throw new IllegalStateException(entry.getKey() + " has no layout:cell hint");
			}
			String[] parts = cell.split(",");
			double cx = X0 + Integer.parseInt(parts[0].trim()) * COL_W;
			double cy = Y0 + Integer.parseInt(parts[1].trim()) * ROW_H;
			double[] size = size(kind);
			boxes.put(entry.getKey(), new Box(cx - size[0] / 2, cy - size[1] / 2, size[0], size[1]));
		}
		// Subprocesses, innermost first: drawn around their children, with room for boundary events below them.
		List<String> subs = new ArrayList<>(nodes.keySet().stream().filter(id -> "subProcess".equals(kinds.get(id))).toList());
		subs.sort((a, b) -> Integer.compare(depth(nodes.get(b)), depth(nodes.get(a))));
		for (String id : subs) {
			double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
			boolean childBoundary = false;
			for (Node n = nodes.get(id).getFirstChild(); n != null; n = n.getNextSibling()) {
				if (n instanceof Element e && boxes.containsKey(e.getAttribute("id"))) {
					Box b = boxes.get(e.getAttribute("id"));
					minX = Math.min(minX, b.x());
					minY = Math.min(minY, b.y());
					maxX = Math.max(maxX, b.right());
					maxY = Math.max(maxY, b.bottom());
				}
				if (n instanceof Element e && "boundaryEvent".equals(e.getLocalName())) {
					childBoundary = true;
				}
			}
			if (minX == Double.MAX_VALUE) {
				throw new IllegalStateException("subprocess " + id + " has no laid-out children");
			}
			double bottomPad = PAD + (childBoundary ? 20 : 0);
			boxes.put(id, new Box(minX - PAD, minY - PAD, maxX - minX + 2 * PAD, maxY - minY + PAD + bottomPad));
		}
	}

	static int depth(Element e) {
		int d = 0;
		for (Node p = e.getParentNode(); p != null; p = p.getParentNode()) {
			d++;
		}
		return d;
	}

	void placeBoundaryEvents() {
		Map<String, List<String>> byHost = new LinkedHashMap<>();
		nodes.forEach((id, e) -> {
			if ("boundaryEvent".equals(kinds.get(id))) {
				byHost.computeIfAbsent(e.getAttribute("attachedToRef"), k -> new ArrayList<>()).add(id);
			}
		});
		byHost.forEach((host, events) -> {
			Box h = boxes.get(host);
			for (int i = 0; i < events.size(); i++) {
				String attach = nodes.get(events.get(i)).getAttributeNS(LAYOUT, "attach");
				double f = attach.isBlank() ? (i + 1.0) / (events.size() + 1.0) : Double.parseDouble(attach);
				double cx = h.x() + h.w() * f;
				boxes.put(events.get(i), new Box(cx - 18, h.bottom() - 18, 36, 36));
			}
		});
	}

	static double[] size(String kind) {
		if (EVENTS.contains(kind)) {
			return new double[] { 36, 36 };
		}
		if (GATEWAYS.contains(kind)) {
			return new double[] { 50, 50 };
		}
		return new double[] { 140, 90 };
	}

	Element shape(Document doc, String id) {
		Box b = boxes.get(id);
		Element shape = doc.createElementNS(BPMNDI, "bpmndi:BPMNShape");
		shape.setAttribute("id", id + "_di");
		shape.setAttribute("bpmnElement", id);
		String kind = kinds.get(id);
		if (kind.equals("subProcess")) {
			shape.setAttribute("isExpanded", "true");
		}
		if (kind.equals("exclusiveGateway")) {
			shape.setAttribute("isMarkerVisible", "true");
		}
		shape.appendChild(bounds(doc, b));
		if (EVENTS.contains(kind) || GATEWAYS.contains(kind)) {
			Element label = doc.createElementNS(BPMNDI, "bpmndi:BPMNLabel");
			// A boundary event's flow leaves downwards, so its label sits to the right.
			Box at = kind.equals("boundaryEvent") ? new Box(b.right() + 4, b.bottom() - 4, 90, 27)
					: new Box(b.cx() - 50, b.bottom() + 6, 100, 27);
			label.appendChild(bounds(doc, at));
			shape.appendChild(label);
		}
		return shape;
	}

	static Element bounds(Document doc, Box b) {
		Element bounds = doc.createElementNS(DC, "dc:Bounds");
		bounds.setAttribute("x", fmt(b.x()));
		bounds.setAttribute("y", fmt(b.y()));
		bounds.setAttribute("width", fmt(b.w()));
		bounds.setAttribute("height", fmt(b.h()));
		return bounds;
	}

	Element edge(Document doc, Element flow) {
		String id = flow.getAttribute("id");
		String sourceId = flow.getAttribute("sourceRef");
		String targetId = flow.getAttribute("targetRef");
		Box s = boxes.get(sourceId);
		Box t = boxes.get(targetId);
		if (s == null || t == null) {
			throw new IllegalStateException("sequence flow " + id + " joins an element without a shape");
		}
		List<Point> points = route(flow, kinds.get(sourceId), s, t);
		Element edge = doc.createElementNS(BPMNDI, "bpmndi:BPMNEdge");
		edge.setAttribute("id", id + "_di");
		edge.setAttribute("bpmnElement", id);
		for (Point p : points) {
			Element w = doc.createElementNS(DI, "di:waypoint");
			w.setAttribute("x", fmt(p.x()));
			w.setAttribute("y", fmt(p.y()));
			edge.appendChild(w);
		}
		if (!flow.getAttribute("name").isBlank()) {
			Point a = points.get(0);
			Point b = points.get(1);
			Element label = doc.createElementNS(BPMNDI, "bpmndi:BPMNLabel");
			// Beside the first segment, clear of the source's own label (which sits below events and gateways).
			boolean down = a.x() == b.x() && b.y() > a.y();
			boolean up = a.x() == b.x() && b.y() < a.y();
			double lx = (a.x() == b.x()) ? a.x() + 6 : Math.min(a.x(), b.x()) + 8;
			double ly = down ? a.y() + 36 : up ? a.y() - 24 : a.y() - 22;
			label.appendChild(bounds(doc, new Box(lx, ly, 70, 18)));
			edge.appendChild(label);
		}
		return edge;
	}

	/** True when no shape other than the two ends (and boxes around them) lies on the horizontal segment. */
	boolean clear(double y, double x1, double x2, Box s, Box t) {
		double lo = Math.min(x1, x2), hi = Math.max(x1, x2);
		for (Box b : boxes.values()) {
			if (b == s || b == t || (b.x() <= lo && hi <= b.right() && b.y() <= y && y <= b.bottom())) {
				continue;
			}
			if (b.y() <= y && y <= b.bottom() && b.x() < hi && lo < b.right()) {
				return false;
			}
		}
		return true;
	}

	List<Point> route(Element flow, String sourceKind, Box s, Box t) {
		String via = flow.getAttributeNS(LAYOUT, "via");
		List<Point> p = new ArrayList<>();
		// A flow between an element and a subprocess box runs at the element's height when that crosses the box.
		double rowY = Math.abs(s.cy() - t.cy()) < 1 ? s.cy()
				: (t.y() < s.cy() && s.cy() < t.bottom()) ? s.cy()
				: (s.y() < t.cy() && t.cy() < s.bottom()) ? t.cy() : Double.NaN;
		boolean sameRow = !Double.isNaN(rowY);
		boolean forward = t.cx() > s.cx() + 1;
		if (via.equals("above") || via.equals("below")) {
			boolean above = via.equals("above");
			double channel = above ? Math.min(s.y(), t.y()) - CHANNEL : Math.max(s.bottom(), t.bottom()) + CHANNEL;
			p.add(new Point(s.cx(), above ? s.y() : s.bottom()));
			p.add(new Point(s.cx(), channel));
			p.add(new Point(t.cx(), channel));
			p.add(new Point(t.cx(), above ? t.y() : t.bottom()));
		} else if ("boundaryEvent".equals(sourceKind)) {
			p.add(new Point(s.cx(), s.bottom()));
			if (t.y() > s.bottom() && t.x() <= s.cx() && s.cx() <= t.right()) {
				p.add(new Point(s.cx(), t.y()));
			} else if (t.cy() > s.bottom()) {
				p.add(new Point(s.cx(), t.cy()));
				p.add(new Point(t.cx() > s.cx() ? t.x() : t.right(), t.cy()));
			} else {
				double channel = s.bottom() + CHANNEL;
				p.add(new Point(s.cx(), channel));
				p.add(new Point(t.cx(), channel));
				p.add(new Point(t.cx(), t.bottom()));
			}
		} else if (forward && sameRow) {
			p.add(new Point(s.right(), rowY));
			p.add(new Point(t.x(), rowY));
		} else if (forward && t.cy() > s.cy()) {
			// Going down: leave from the bottom, turn right into the target.
			p.add(new Point(s.cx(), s.bottom()));
			p.add(new Point(s.cx(), t.cy()));
			p.add(new Point(t.x(), t.cy()));
		} else if (forward) {
			// Coming back up to the main path: along the source's row, then up into the target's bottom.
			p.add(new Point(s.right(), s.cy()));
			p.add(new Point(t.cx(), s.cy()));
			p.add(new Point(t.cx(), t.bottom()));
		} else if (Math.abs(t.cx() - s.cx()) < 1) {
			// Straight up or down in the same column.
			p.add(new Point(s.cx(), t.cy() > s.cy() ? s.bottom() : s.y()));
			p.add(new Point(t.cx(), t.cy() > s.cy() ? t.y() : t.bottom()));
		} else if (t.bottom() < s.y() && t.cx() < s.x() && clear(s.cy(), t.cx(), s.x(), s, t)) {
			// Back and up with nothing in the way: left out of the source's side, then up into the target.
			p.add(new Point(s.x(), s.cy()));
			p.add(new Point(t.cx(), s.cy()));
			p.add(new Point(t.cx(), t.bottom()));
		} else if (t.bottom() < s.y()) {
			// Back and up: out of the source's top, left halfway between, then up into the target's bottom.
			double entry = Math.max(t.x() + 20, Math.min(t.right() - 20, s.cx()));
			double mid = t.bottom() + (s.y() - t.bottom()) / 2;
			p.add(new Point(s.cx(), s.y()));
			if (entry != s.cx()) {
				p.add(new Point(s.cx(), mid));
				p.add(new Point(entry, mid));
			}
			p.add(new Point(entry, t.bottom()));
		} else {
			// A loop back on the same row or from above: through a channel below both.
			double channel = Math.max(s.bottom(), t.bottom()) + CHANNEL;
			p.add(new Point(s.cx(), s.bottom()));
			p.add(new Point(s.cx(), channel));
			p.add(new Point(t.cx(), channel));
			p.add(new Point(t.cx(), t.bottom()));
		}
		return p;
	}

	static String fmt(double v) {
		return v == Math.rint(v) ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.1f", v);
	}

	static List<Element> children(Element parent, String ns, String local) {
		List<Element> out = new ArrayList<>();
		for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
			if (n instanceof Element e && ns.equals(e.getNamespaceURI()) && local.equals(e.getLocalName())) {
				out.add(e);
			}
		}
		return out;
	}

	static List<Element> descendants(Element parent, String local) {
		List<Element> out = new ArrayList<>();
		NodeList list = parent.getElementsByTagNameNS(BPMN, local);
		for (int i = 0; i < list.getLength(); i++) {
			out.add((Element) list.item(i));
		}
		return out;
	}

	static void stripWhitespace(Node node) {
		for (Node n = node.getFirstChild(); n != null;) {
			Node next = n.getNextSibling();
			if (n.getNodeType() == Node.TEXT_NODE && n.getTextContent().isBlank()) {
				node.removeChild(n);
			} else if (n.getNodeType() == Node.ELEMENT_NODE) {
				stripWhitespace(n);
			}
			n = next;
		}
	}
}
