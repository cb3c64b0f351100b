#!/bin/bash
# As Apache Kafka's bin/kafka-storage.sh: runs kafka.tools.StorageTool from the image's Kafka jars.
exec java ${KAFKA_HEAP_OPTS:--Xmx512m} ${KAFKA_OPTS:-} -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties \
  -cp '/opt/kafka/libs/*' kafka.tools.StorageTool "$@"
