#include "api/queryprotocol.h"

#include "common/xmlwriter.h"

#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <string_view>

namespace lambdesk::engine::api {

namespace {

using nlohmann::json;

// A flattened list or map's query name, its JSON member, and for maps the entry's two names.
struct Collection {
    const char *queryName;
    const char *jsonName;
    const char *keyName = nullptr; // nullptr: a list
    const char *valueName = nullptr;
};

constexpr Collection kCollections[] = {
    {"Attribute", "Attributes", "Name", "Value"},
    {"MessageAttribute", "MessageAttributes", "Name", "Value"},
    {"MessageSystemAttribute", "MessageSystemAttributes", "Name", "Value"},
    {"Tag", "Tags", "Key", "Value"},
    {"AttributeName", "AttributeNames"},
    {"MessageAttributeName", "MessageAttributeNames"},
    {"MessageSystemAttributeName", "MessageSystemAttributeNames"},
    {"TagKey", "TagKeys"},
    {"SendMessageBatchRequestEntry", "Entries"},
    {"DeleteMessageBatchRequestEntry", "Entries"},
    {"ChangeMessageVisibilityBatchRequestEntry", "Entries"},
};

constexpr const char *kIntegerMembers[] = {"DelaySeconds", "MaxNumberOfMessages", "WaitTimeSeconds",
                                           "VisibilityTimeout", "MaxResults"};

// What one form may hold: SQS's deepest member is SendMessageBatchRequestEntry.N.
// MessageAttribute.M.Value.StringValue (6 parts), its longest list 10 entries of 10 attributes.
constexpr std::size_t kMaxQueryParameters = 2000;
constexpr std::size_t kMaxQueryBodyBytes = std::size_t{4} * 1024 * 1024;
constexpr std::size_t kMaxKeyParts = 8;
constexpr std::size_t kMaxIndexDigits = 4;

bool isIndex(std::string_view text)
{
    return !text.empty() && text.size() <= kMaxIndexDigits &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "A.1.B" = v  ->  {"A": {"1": {"B": v}}}: indices stay keys until finish() orders them.
void insertPath(json &tree, std::string_view key, const std::string &value)
{
    json *node = &tree;
    while (true) {
        const auto dot = key.find('.');
        const std::string part(key.substr(0, dot));
        if (dot == std::string_view::npos) {
            (*node)[part] = value;
            return;
        }
        json &child = (*node)[part];
        if (!child.is_object())
            child = json::object();
        node = &child;
        key.remove_prefix(dot + 1);
    }
}

json finish(const json &node, const std::string &name);

// An object keyed "1", "2", ... as the list it stands for, in index order.
json orderedList(const json &node, const std::string &name)
{
    std::vector<std::pair<long, const json *>> items;
    for (const auto &entry : node.items())
        if (isIndex(entry.key())) // "Attribute.Name=x" has no index: not an entry
            items.emplace_back(std::stol(entry.key()), &entry.value());
    std::sort(items.begin(), items.end());
    json list = json::array();
    for (const auto &[index, item] : items)
        list.push_back(finish(*item, name));
    return list;
}

json finish(const json &node, const std::string &name)
{
    if (!node.is_object()) {
        const bool integer = std::any_of(std::begin(kIntegerMembers), std::end(kIntegerMembers),
                                         [&name](const char *member) { return name == member; });
        const std::string &text = node.get_ref<const std::string &>();
        long long number = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (integer && ec == std::errc() && end == text.data() + text.size())
            return number;
        return node;
    }
    const bool list =
        !node.empty() && std::all_of(node.items().begin(), node.items().end(),
                                     [](const auto &item) { return isIndex(item.key()); });
    if (list)
        return orderedList(node, name);
    json out = json::object();
    for (const auto &item : node.items()) {
        const std::string &key = item.key();
        const json &child = item.value();
        const auto collection =
            std::find_if(std::begin(kCollections), std::end(kCollections),
                         [&key](const Collection &c) { return key == c.queryName; });
        if (collection == std::end(kCollections)) {
            out[key] = finish(child, key);
            continue;
        }
        json items = child.is_object() ? orderedList(child, key) : json::array({child});
        if (!collection->keyName) {
            out[collection->jsonName] = std::move(items);
            continue;
        }
        json map = json::object();
        for (const json &entry : items)
            if (entry.is_object() && entry.contains(collection->keyName) &&
                entry[collection->keyName].is_string())
                map[entry[collection->keyName].get<std::string>()] =
                    entry.value(collection->valueName, json());
        out[collection->jsonName] = std::move(map);
    }
    return out;
}

// How a JSON answer's collections are spelt in XML.
std::string elementFor(const std::string &action, const std::string &member)
{
    if (member == "QueueUrls" || member == "queueUrls")
        return "QueueUrl";
    if (member == "Messages")
        return "Message";
    if (member == "Failed")
        return "BatchResultErrorEntry";
    if (member == "Successful")
        return action + "ResultEntry";
    if (member == "Attributes")
        return "Attribute";
    if (member == "MessageAttributes")
        return "MessageAttribute";
    if (member == "Tags")
        return "Tag";
    return member;
}

void writeValue(common::XmlWriter &xml, const std::string &action, const std::string &name,
                const json &value);

void writeMembers(common::XmlWriter &xml, const std::string &action, const json &object)
{
    for (const auto &[member, value] : object.items()) {
        const std::string element = elementFor(action, member);
        if (value.is_array()) {
            for (const json &item : value)
                writeValue(xml, action, element, item);
        } else if (value.is_object() && element != member) { // a flattened map
            const char *keyName = member == "Tags" ? "Key" : "Name";
            for (const auto &[key, entry] : value.items()) {
                xml.open(element);
                xml.element(keyName, key);
                writeValue(xml, action, "Value", entry);
                xml.close();
            }
        } else {
            writeValue(xml, action, member, value);
        }
    }
}

void writeValue(common::XmlWriter &xml, const std::string &action, const std::string &name,
                const json &value)
{
    if (value.is_object()) {
        xml.open(name);
        writeMembers(xml, action, value);
        xml.close();
    } else if (value.is_string()) {
        xml.element(name, value.get_ref<const std::string &>());
    } else {
        xml.element(name, value.dump());
    }
}

} // namespace

Result<QueryRequest> parseQueryRequest(const std::string &formBody)
{
    if (formBody.size() > kMaxQueryBodyBytes)
        return makeError(ErrorCode::InvalidParameter, "The request body is larger than " +
                                                          std::to_string(kMaxQueryBodyBytes) +
                                                          " bytes.");
    httplib::Params params;
    httplib::detail::parse_query_text(formBody, params);
    if (params.size() > kMaxQueryParameters)
        return makeError(ErrorCode::InvalidParameter, "The request has more than " +
                                                          std::to_string(kMaxQueryParameters) +
                                                          " parameters.");
    QueryRequest request;
    json tree = json::object();
    for (const auto &[key, value] : params) {
        if (static_cast<std::size_t>(std::count(key.begin(), key.end(), '.')) >= kMaxKeyParts)
            return makeError(ErrorCode::InvalidParameter,
                             "The parameter name " + key.substr(0, 128) + " has too many parts.");
        if (key == "Action")
            request.action = value;
        else if (key != "Version" && !key.empty())
            insertPath(tree, key, value);
    }
    if (request.action.empty())
        return makeError(ErrorCode::UnknownOperation,
                         "The request must contain the parameter Action.");
    request.body = finish(tree, "");
    if (!request.body.is_object())
        request.body = json::object();
    return request;
}

std::string queryResponseXml(const std::string &action, const json &answer,
                             const std::string &requestId)
{
    common::XmlWriter xml;
    xml.open(action + "Response", kSqsXmlNamespace);
    // Operations with an output shape answer its element even when it is empty.
    static const std::set<std::string> kNoOutput = {"DeleteQueue",
                                                    "PurgeQueue",
                                                    "SetQueueAttributes",
                                                    "DeleteMessage",
                                                    "ChangeMessageVisibility",
                                                    "TagQueue",
                                                    "UntagQueue"};
    if (!kNoOutput.contains(action)) {
        xml.open(action + "Result");
        writeMembers(xml, action, answer);
        xml.close();
    }
    xml.open("ResponseMetadata");
    xml.element("RequestId", requestId);
    xml.close();
    xml.close();
    return xml.text();
}

} // namespace lambdesk::engine::api
