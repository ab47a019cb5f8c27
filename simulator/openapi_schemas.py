"""The response shapes of the simulator's OpenAPI document, hand-written after HubSpot's (field names and required
lists as its SDKs expect), and the small helpers that write JSON Schema."""

from __future__ import annotations

from typing import Any

REF = "#/components/schemas/{model}"
JSON = "application/json"


def ref(name: str) -> dict[str, str]:
    return {"$ref": REF.format(model=name)}


def array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def obj(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
DATETIME = {"type": "string", "format": "date-time"}
NULLABLE_STRING = {"type": ["string", "null"]}

RESPONSE_SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": obj(
        ["status", "message", "correlationId", "category"],
        status=STRING,
        message=STRING,
        correlationId=STRING,
        category=STRING,
        subCategory=STRING,
        errors=array(obj(["message"], message=STRING, code=STRING, **{"in": STRING}, context={"type": "object"})),
        context={"type": "object", "additionalProperties": array(STRING)},
        links={"type": "object", "additionalProperties": STRING},
    ),
    "StandardError": obj(
        ["status", "category", "message", "context", "errors", "links"],
        status=STRING,
        category=STRING,
        message=STRING,
        context={"type": "object", "additionalProperties": array(STRING)},
        errors=array({"type": "object"}),
        links={"type": "object", "additionalProperties": STRING},
        subCategory=STRING,
    ),
    "ValueWithTimestamp": obj(
        ["value", "timestamp", "sourceType"], value=STRING, timestamp=DATETIME, sourceType=STRING, sourceId=STRING
    ),
    "SimplePublicObject": obj(
        ["id", "properties", "createdAt", "updatedAt", "archived"],
        id=STRING,
        properties={"type": "object", "additionalProperties": NULLABLE_STRING},
        propertiesWithHistory={"type": "object", "additionalProperties": array(ref("ValueWithTimestamp"))},
        createdAt=DATETIME,
        updatedAt=DATETIME,
        archived=BOOLEAN,
        archivedAt=DATETIME,
        associations={"type": "object"},
        new=BOOLEAN,
    ),
    "Paging": obj(["next"], next=obj(["after"], after=STRING, link=STRING)),
    "ObjectPage": obj(["results"], results=array(ref("SimplePublicObject")), paging=ref("Paging")),
    "ObjectSearchPage": obj(
        ["total", "results"], total=INTEGER, results=array(ref("SimplePublicObject")), paging=ref("Paging")
    ),
    "ObjectBatch": obj(
        ["status", "results", "startedAt", "completedAt"],
        status={"type": "string", "enum": ["PENDING", "PROCESSING", "CANCELED", "COMPLETE"]},
        results=array(ref("SimplePublicObject")),
        startedAt=DATETIME,
        completedAt=DATETIME,
        numErrors=INTEGER,
        errors=array(ref("StandardError")),
    ),
    "PropertyList": obj(["results"], results=array(ref("PropertyDefinition"))),
    "PropertyBatch": obj(
        ["status", "results", "startedAt", "completedAt"],
        status=STRING,
        results=array(ref("PropertyDefinition")),
        startedAt=DATETIME,
        completedAt=DATETIME,
        numErrors=INTEGER,
        errors=array(ref("StandardError")),
    ),
    "PropertyGroupList": obj(["results"], results=array(ref("PropertyGroup"))),
    "Health": obj(["status", "version"], status={"type": "string", "enum": ["ok", "degraded"]}, version=STRING,
                  problems=array(STRING)),
    "Clock": obj(["now", "frozen", "speed"], now=DATETIME, frozen=BOOLEAN, speed={"type": "number"}),
    "PortalSettings": obj(
        ["portalId", "tier", "timeZone", "scopes", "rateLimits", "retryAfter"],
        portalId=INTEGER,
        tier=STRING,
        timeZone=STRING,
        scopes={"type": ["array", "null"], "items": STRING},
        rateLimits=BOOLEAN,
        retryAfter=BOOLEAN,
        searchIndexDelayMs=INTEGER,
        listProcessingDelayMs=INTEGER,
        apiLimitIncreases=INTEGER,
        secondlyHeaders=BOOLEAN,
        journal=BOOLEAN,
        journalSize=INTEGER,
        eventStorageLimit=INTEGER,
        eventUnknownEmail={"type": "string", "enum": ["create", "reject"]},
    ),
    "RateLimitError": obj(
        ["status", "message", "errorType", "correlationId", "policyName"],
        status=STRING,
        message=STRING,
        errorType={"type": "string", "enum": ["RATE_LIMIT"]},
        correlationId=STRING,
        policyName={"type": "string", "enum": ["TEN_SECONDLY_ROLLING", "DAILY", "SECONDLY"]},
        requestId=STRING,
    ),
    "UsageWindow": obj(["start", "accepted", "rejected"], start=DATETIME, accepted=INTEGER, rejected=INTEGER),
    "UsagePolicy": obj(
        ["policyName", "intervalMilliseconds", "limit", "current", "remaining", "peak", "accepted", "rejected",
         "windows"],
        policyName=STRING,
        intervalMilliseconds=INTEGER,
        limit=INTEGER,
        current=INTEGER,
        remaining=INTEGER,
        peak=INTEGER,
        accepted=INTEGER,
        rejected=INTEGER,
        windows=array(ref("UsageWindow")),
    ),
    "DailyUsage": obj(
        ["policyName", "limit", "current", "remaining", "rejected", "date", "resetsAt"],
        policyName=STRING,
        limit=INTEGER,
        current=INTEGER,
        remaining=INTEGER,
        rejected=INTEGER,
        date=NULLABLE_STRING,
        resetsAt=DATETIME,
    ),
    "Usage": obj(
        ["now", "policies", "events"],
        now=DATETIME,
        events=obj(["stored", "storageLimit", "dropped", "anonymous", "definitions"], stored=INTEGER,
                   storageLimit=INTEGER, dropped=INTEGER, anonymous=INTEGER, definitions=INTEGER),
        policies=obj(
            ["tenSecondly", "search", "eventsSend", "daily"],
            tenSecondly=ref("UsagePolicy"),
            search=ref("UsagePolicy"),
            eventsSend=ref("UsagePolicy"),
            daily=ref("DailyUsage"),
        ),
    ),
    "JournalEntry": obj(
        ["id", "time", "method", "path", "query", "status", "latencyMs", "requestBody", "responseBody",
         "correlationId", "throttledBy", "notSimulated", "fault"],
        id=INTEGER,
        time=DATETIME,
        method=STRING,
        path=STRING,
        query=STRING,
        status=INTEGER,
        latencyMs={"type": "number"},
        requestBody={},
        requestBodyTruncated=BOOLEAN,
        responseBody={},
        responseBodyTruncated=BOOLEAN,
        correlationId=NULLABLE_STRING,
        throttledBy=NULLABLE_STRING,
        notSimulated=BOOLEAN,
        fault={"type": ["object", "null"]},
    ),
    "Journal": obj(["total", "results"], total=INTEGER, results=array(ref("JournalEntry"))),
    "FaultRule": obj(["id", "match", "action", "fired"], id=STRING, match=ref("FaultMatch"),
                     action=ref("FaultAction"), times=INTEGER, probability={"type": "number"}, seed=INTEGER,
                     fired=INTEGER),
    "FaultRuleList": obj(["results"], results=array(ref("FaultRule"))),
    # Associations v4: record ids come back as numbers in these shapes, as HubSpot sends them.
    "AssociationSpecList": array(ref("AssociationType")),
    "ObjectRef": obj(["id"], id=STRING),
    "AssociationSpec": obj(["associationCategory", "associationTypeId"], associationCategory=STRING,
                           associationTypeId=INTEGER),
    "AssociationSpecWithLabel": obj(["category", "typeId", "label"], category=STRING, typeId=INTEGER,
                                    label=NULLABLE_STRING),
    "AssociatedObject": obj(["toObjectId", "associationTypes"], toObjectId=INTEGER,
                            associationTypes=array(ref("AssociationSpecWithLabel"))),
    "AssociationPage": obj(["results"], results=array(ref("AssociatedObject")), paging=ref("Paging")),
    "AssociationLabels": obj(["results"], results=array(ref("AssociationSpecWithLabel"))),
    "LabelsBetweenObjectPair": obj(
        ["fromObjectTypeId", "fromObjectId", "toObjectTypeId", "toObjectId", "labels"],
        fromObjectTypeId=STRING, fromObjectId=INTEGER, toObjectTypeId=STRING, toObjectId=INTEGER, labels=array(STRING),
    ),
    "DefaultAssociationBatch": obj(
        ["status", "results", "startedAt", "completedAt"], status=STRING, startedAt=DATETIME, completedAt=DATETIME,
        results=array(obj(["from", "to", "associationSpec"], **{"from": ref("ObjectRef")}, to=ref("ObjectRef"),
                          associationSpec=ref("AssociationSpec"))),
        numErrors=INTEGER, errors=array(ref("StandardError")),
    ),
    "LabelsBatch": obj(
        ["status", "results", "startedAt", "completedAt"], status=STRING, startedAt=DATETIME, completedAt=DATETIME,
        results=array(ref("LabelsBetweenObjectPair")), numErrors=INTEGER, errors=array(ref("StandardError")),
    ),
    "AssociationReadBatch": obj(
        ["status", "results", "startedAt", "completedAt"], status=STRING, startedAt=DATETIME, completedAt=DATETIME,
        results=array(obj(["from", "to"], **{"from": ref("ObjectRef")}, to=array(ref("AssociatedObject")),
                          paging=ref("Paging"))),
        numErrors=INTEGER, errors=array(ref("StandardError")),
    ),
    "Owner": obj(
        ["id", "email", "firstName", "lastName", "userIdIncludingInactive", "type", "teams", "archived", "createdAt",
         "updatedAt"],
        id=STRING, email=STRING, firstName=STRING, lastName=STRING, userId=INTEGER, userIdIncludingInactive=INTEGER,
        type={"type": "string", "enum": ["PERSON", "QUEUE"]},
        teams=array(obj(["id", "name", "primary"], id=STRING, name=STRING, primary=BOOLEAN)),
        archived=BOOLEAN, createdAt=DATETIME, updatedAt=DATETIME,
    ),
    "OwnerPage": obj(["results"], results=array(ref("Owner")), paging=ref("Paging")),
    "PipelineList": obj(["results"], results=array(ref("Pipeline"))),
    "StageList": obj(["results"], results=array(ref("Stage"))),
    "Snapshot": obj(["format", "version"], format={"type": "string", "enum": ["hubsim-portal"]}, version=INTEGER),
    "EventDefinition": obj(
        ["id", "name", "fullyQualifiedName", "labels", "primaryObject", "objectTypeId", "properties", "associations",
         "archived"],
        id=STRING, name=STRING, fullyQualifiedName=STRING, labels=obj(["singular"], singular=STRING, plural=STRING),
        description=STRING, primaryObject=STRING, objectTypeId=STRING, trackingType=STRING,
        properties=array(ref("PropertyDefinition")), associations=array({"type": "object"}), archived=BOOLEAN,
        createdAt=DATETIME, updatedAt=DATETIME, customMatchingId={"type": "object"}, headerTemplate=STRING,
        detailTemplate=STRING,
    ),
    "EventDefinitionList": obj(["results", "total"], results=array(ref("EventDefinition")), total=INTEGER,
                               paging=ref("Paging")),
    "EventOccurrencePage": obj(
        ["results"],
        results=array(obj(["objectType", "objectId", "eventType", "occurredAt", "id", "properties"],
                          objectType=STRING, objectId=STRING, eventType=STRING, occurredAt=DATETIME, id=STRING,
                          properties={"type": "object", "additionalProperties": STRING})),
        paging=ref("Paging"),
    ),
    "EventTypes": obj(["eventTypes"], eventTypes=array(STRING)),
    "PublicObjectList": obj(
        ["listId", "listVersion", "name", "objectTypeId", "processingStatus", "processingType"],
        listId=STRING, listVersion=INTEGER, name=STRING, objectTypeId=STRING, processingStatus=STRING,
        processingType={"type": "string", "enum": ["MANUAL", "DYNAMIC", "SNAPSHOT"]}, size=INTEGER,
        createdAt=DATETIME, updatedAt=DATETIME, filtersUpdatedAt=DATETIME, deletedAt=DATETIME,
        filterBranch={"type": "object"}, additionalProperties={"type": "object", "additionalProperties": STRING},
    ),
    "ListResponse": obj(["list"], list=ref("PublicObjectList")),
    "ListUpdated": obj(["updatedList"], updatedList=ref("PublicObjectList")),
    "ListsById": obj(["lists"], lists=array(ref("PublicObjectList"))),
    "ListSearchResponse": obj(["lists", "offset", "hasMore", "total"], lists=array(ref("PublicObjectList")),
                              offset=INTEGER, hasMore=BOOLEAN, total=INTEGER),
    "RecordIdList": array(STRING),
    "MembershipsUpdate": obj(["recordsIdsAdded", "recordIdsRemoved", "recordIdsMissing"],
                             recordsIdsAdded=array(STRING), recordIdsRemoved=array(STRING),
                             recordIdsMissing=array(STRING)),
    "MembershipPage": obj(
        ["results"], results=array(obj(["recordId", "membershipTimestamp"], recordId=STRING,
                                       membershipTimestamp=DATETIME)),
        total=INTEGER, paging={"type": "object"},
    ),
    "RecordListMembership": obj(["listId", "listVersion"], listId=STRING, listVersion=INTEGER,
                                firstAddedTimestamp=DATETIME, lastAddedTimestamp=DATETIME, isPublicList=BOOLEAN),
    "RecordMemberships": obj(["results"], results=array(ref("RecordListMembership")), total=INTEGER),
    "RecordMembershipsBatch": obj(
        ["status", "results", "startedAt", "completedAt"], status=STRING, startedAt=DATETIME, completedAt=DATETIME,
        results=array(obj(["objectTypeId", "recordId", "recordListMemberships"], objectTypeId=STRING,
                          recordId=STRING, recordListMemberships=array(ref("RecordListMembership")))),
    ),
    "ListFolder": obj(["id", "parentFolderId", "childNodes", "childLists"], id=STRING, name=STRING,
                      parentFolderId=STRING, childNodes=array({"type": "object"}), childLists=array(STRING),
                      createdAt=DATETIME, updatedAt=DATETIME),
    "ListFolderResponse": obj(["folder"], folder=ref("ListFolder")),
    "SnapshotRestored": obj(["status", "records"], status=STRING,
                            records={"type": "object", "additionalProperties": INTEGER}),
    # Webhooks v3 (webhooks-v3.json: SettingsResponse, SubscriptionResponse, ...) and their control routes
    "WebhookSettings": obj(["targetUrl", "throttling", "createdAt"], targetUrl=STRING, throttling=ref("Throttling"),
                           createdAt=DATETIME, updatedAt=DATETIME),
    "WebhookSubscription": obj(["id", "eventType", "active", "createdAt"], id=STRING, eventType=STRING,
                               propertyName=STRING, eventTypeName=STRING, objectTypeId=STRING, active=BOOLEAN,
                               createdAt=DATETIME, updatedAt=DATETIME),
    "WebhookSubscriptionList": obj(["results"], results=array(ref("WebhookSubscription"))),
    "WebhookSubscriptionBatch": obj(
        ["status", "results", "startedAt", "completedAt"], status=STRING, startedAt=DATETIME, completedAt=DATETIME,
        results=array(ref("WebhookSubscription")), numErrors=INTEGER, errors=array(ref("StandardError")),
    ),
    "WebhookAttempt": obj(
        ["id", "appId", "url", "eventIds", "subscriptionTypes", "attemptNumber", "scheduledAt", "sentAt", "elapsedMs",
         "status", "error", "outcome", "nextAttemptAt"],
        id=STRING, appId=INTEGER, url=STRING, eventIds=array(INTEGER), subscriptionTypes=array(STRING),
        attemptNumber=INTEGER, scheduledAt=DATETIME, sentAt=DATETIME, elapsedMs={"type": "number"},
        status={"type": ["integer", "null"]}, error=NULLABLE_STRING,
        outcome={"type": "string", "enum": ["delivered", "retrying", "failed"]},
        nextAttemptAt={"type": ["string", "null"], "format": "date-time"},
    ),
    "WebhookAttempts": obj(["total", "pending", "results"], total=INTEGER, pending=INTEGER,
                           results=array(ref("WebhookAttempt"))),
}  # fmt: skip

# Automation v4 flows and the workflows control API.
RESPONSE_SCHEMAS |= {
    "Flow": obj(
        ["id", "revisionId", "type", "objectTypeId", "flowType", "isEnabled", "actions", "nextAvailableActionId",
         "crmObjectCreationStatus", "createdAt", "updatedAt", "blockedDates", "canEnrollFromSalesforce",
         "customProperties", "dataSources", "suppressionListIds", "timeWindows"],
        id=STRING, revisionId=STRING, uuid=STRING, type={"type": "string", "enum": ["CONTACT_FLOW", "PLATFORM_FLOW"]},
        objectTypeId=STRING, flowType=STRING, name=STRING, description=STRING, isEnabled=BOOLEAN,
        startActionId=STRING, actions=array({"type": "object"}), enrollmentCriteria={"type": "object"},
        nextAvailableActionId=STRING, crmObjectCreationStatus=STRING, createdAt=DATETIME, updatedAt=DATETIME,
        blockedDates=array({"type": "object"}), canEnrollFromSalesforce=BOOLEAN,
        customProperties={"type": "object", "additionalProperties": STRING}, dataSources=array({"type": "object"}),
        suppressionListIds=array(INTEGER), timeWindows=array({"type": "object"}),
    ),
    "FlowListing": obj(["id", "isEnabled", "flowType", "objectTypeId", "revisionId", "createdAt", "updatedAt"],
                       id=STRING, name=STRING, isEnabled=BOOLEAN, flowType=STRING, objectTypeId=STRING,
                       revisionId=STRING, uuid=STRING, createdAt=DATETIME, updatedAt=DATETIME),
    "FlowPage": obj(["results"], results=array(ref("FlowListing")), paging=ref("Paging")),
    "FlowBatch": obj(
        ["status", "results", "startedAt", "completedAt"], status=STRING, startedAt=DATETIME, completedAt=DATETIME,
        results=array(ref("Flow")), numErrors=INTEGER, errors=array(ref("StandardError")),
    ),
    "Enrollment": obj(["enrollmentId", "flowId", "objectId", "enrolledAt", "trigger", "state", "history"],
                      enrollmentId=STRING, flowId=STRING, objectId=STRING, enrolledAt=DATETIME, trigger=STRING,
                      state={"type": "string", "enum": ["ACTIVE", "WAITING", "COMPLETED", "UNENROLLED"]},
                      history=array(obj(["at", "event"], at=DATETIME, event=STRING)), nextActionId=STRING,
                      waitingUntil=DATETIME),
    "WorkflowOverview": obj(["results"], results=array(obj(
        ["flowId", "name", "isEnabled", "counts"], flowId=STRING, name=STRING, isEnabled=BOOLEAN,
        counts={"type": "object", "additionalProperties": INTEGER}))),
    "Enrollments": obj(["flowId", "counts", "results"], flowId=STRING,
                       counts={"type": "object", "additionalProperties": INTEGER}, results=array(ref("Enrollment"))),
    "EnrollResult": obj(["flowId", "results"], flowId=STRING, results=array(
        obj(["objectId", "enrolled"], objectId=STRING, enrolled=BOOLEAN, enrollmentId=STRING, reason=STRING))),
    "Playbook": obj(["results"], results=array(obj(
        ["name", "flowName", "description", "events", "properties"], name=STRING, flowName=STRING,
        description=STRING, events=array(STRING), properties=array(STRING)))),
    "Outbox": obj(["results"], results=array(obj(
        ["id", "type", "flowId", "actionId", "objectId", "subject", "body", "sentAt"],
        id=STRING, type={"type": "string", "enum": ["MARKETING_EMAIL", "INTERNAL_EMAIL", "IN_APP_NOTIFICATION"]},
        flowId=STRING, flowName=STRING, actionId=STRING, enrollmentId=STRING, objectTypeId=STRING, objectId=STRING,
        contactId=STRING, subject=STRING, body=STRING, sentAt=DATETIME, to=STRING, contentId=STRING,
        recipients=array({"type": "object"}), record={"type": "object"},
    ))),
}  # fmt: skip

# Custom object schemas (HubSpot's ObjectSchema).
RESPONSE_SCHEMAS |= {
    "Schema": obj(
        ["id", "objectTypeId", "fullyQualifiedName", "name", "labels", "requiredProperties", "searchableProperties",
         "secondaryDisplayProperties", "properties", "associations", "archived", "createdAt", "updatedAt"],
        id=STRING, objectTypeId=STRING, fullyQualifiedName=STRING, name=STRING,
        labels=obj(["singular", "plural"], singular=STRING, plural=STRING), description=NULLABLE_STRING,
        primaryDisplayProperty=NULLABLE_STRING, requiredProperties=array(STRING), searchableProperties=array(STRING),
        secondaryDisplayProperties=array(STRING), properties=array(ref("PropertyDefinition")),
        associations=array(ref("AssociationDefinition")), metaType=STRING, archived=BOOLEAN, createdAt=DATETIME,
        updatedAt=DATETIME,
    ),
    "SchemaList": obj(["results"], results=array(ref("Schema"))),
    "AssociationDefinition": obj(["id", "fromObjectTypeId", "toObjectTypeId"], id=STRING, fromObjectTypeId=STRING,
                                 toObjectTypeId=STRING, name=STRING, createdAt=DATETIME, updatedAt=DATETIME),
}  # fmt: skip

# The older routes (simulator/routes/legacy.py): HubSpot's legacy shapes, loosely typed.
RESPONSE_SCHEMAS |= {
    "LegacyObject": {"type": "object"},
    "LegacyList": array({"type": "object"}),
    "LegacyContactPage": obj(["contacts", "has-more", "vid-offset"], contacts=array({"type": "object"}),
                             **{"has-more": BOOLEAN, "vid-offset": INTEGER}),
}
