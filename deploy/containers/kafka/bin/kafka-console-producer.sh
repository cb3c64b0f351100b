#!/bin/bash
# As Apache Kafka's bin/kafka-console-producer.sh: runs org.apache.kafka.tools.ConsoleProducer from the image's Kafka jars.
exec java ${KAFKA_HEAP_OPTS:--Xmx512m} ${KAFKA_OPTS:-} -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties \
  -cp '/opt/kafka/libs/*' org.apache.kafka.tools.ConsoleProducer "$@"
