package io.edgefleet.gateway.nodes.libvirt;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * XML through the JDK's DOM: every name and value becomes a text node or an attribute value and the
 * serializer escapes it, so no input can close an element or open a new one. Nothing here builds XML
 * by concatenating strings.
 */
final class Xml {

    private static final DocumentBuilderFactory BUILDERS = builders();
    private static final TransformerFactory TRANSFORMERS = transformers();

    private Xml() {}

    static Document newDocument() {
        return builder().newDocument();
    }

    /** Appends a new element {@code name} to {@code parent}. */
    static Element add(Node parent, String name) {
        Document doc = parent instanceof Document d ? d : parent.getOwnerDocument();
        Element e = doc.createElement(name);
        parent.appendChild(e);
        return e;
    }

    /** Appends {@code <name>text</name>}. */
    static Element add(Node parent, String name, String text) {
        Element e = add(parent, name);
        e.setTextContent(checked(text));
        return e;
    }

    /** Appends an element in {@code namespace} with {@code qualifiedName} (prefix:local). */
    static Element addNs(Node parent, String namespace, String qualifiedName, String text) {
        Document doc = parent instanceof Document d ? d : parent.getOwnerDocument();
        Element e = doc.createElementNS(namespace, qualifiedName);
        if (text != null) {
            e.setTextContent(checked(text));
        }
        parent.appendChild(e);
        return e;
    }

    static Element attr(Element e, String name, String value) {
        e.setAttribute(name, checked(value));
        return e;
    }

    static String serialize(Node node) {
        try {
            Transformer t;
            synchronized (TRANSFORMERS) {
                t = TRANSFORMERS.newTransformer();
            }
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.INDENT, "no");
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(node), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot write XML", e);
        }
    }

    /** Parses XML that libvirt produced; DTDs and external entities are refused. */
    static Document parse(String xml) {
        try {
            return builder().parse(new InputSource(new StringReader(xml)));
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("unreadable XML from libvirt: " + e.getMessage(), e);
        }
    }

    /** Direct children of {@code parent} named {@code localName} (namespace {@code ns}, or none when null). */
    static List<Element> children(Element parent, String ns, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e
                    && localName.equals(localName(e))
                    && (ns == null ? e.getNamespaceURI() == null : ns.equals(e.getNamespaceURI()))) {
                found.add(e);
            }
        }
        return found;
    }

    static Element child(Element parent, String ns, String localName) {
        List<Element> all = children(parent, ns, localName);
        return all.isEmpty() ? null : all.get(0);
    }

    /** Text of the direct child, or null. */
    static String childText(Element parent, String ns, String localName) {
        Element e = child(parent, ns, localName);
        return e == null ? null : e.getTextContent();
    }

    /** Follows a path of direct children without namespace, e.g. {@code target, format}. */
    static Element path(Element from, String... names) {
        Element e = from;
        for (String name : names) {
            if (e == null) {
                return null;
            }
            e = child(e, null, name);
        }
        return e;
    }

    private static String localName(Element e) {
        return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
    }

    /** True when every character may appear in an XML 1.0 document. */
    static boolean isXmlText(String s) {
        return s.codePoints()
                .allMatch(c -> c == 0x9
                        || c == 0xA
                        || c == 0xD
                        || (c >= 0x20 && c <= 0xD7FF)
                        || (c >= 0xE000 && c <= 0xFFFD)
                        || (c >= 0x10000 && c <= 0x10FFFF));
    }

    private static String checked(String s) {
        if (s == null) {
            throw new IllegalArgumentException("null value in XML");
        }
        if (!isXmlText(s)) {
            throw new IllegalArgumentException("value contains characters XML cannot carry");
        }
        return s;
    }

    private static DocumentBuilder builder() {
        try {
            synchronized (BUILDERS) {
                return BUILDERS.newDocumentBuilder();
            }
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DocumentBuilderFactory builders() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        return f;
    }

    private static TransformerFactory transformers() {
        TransformerFactory f = TransformerFactory.newInstance();
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
        return f;
    }
}
