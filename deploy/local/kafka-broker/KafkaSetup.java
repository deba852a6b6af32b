// Sets the local broker up as the deployment must be (docs/edge-link.md, "Kafka inside"): the topics, one SCRAM
// user per principal of io.edgefleet.events.KafkaAccess (passwords from the stack's secrets, made by kafka.sh) and
// the ACLs of that table. Idempotent. Run by `kafka.sh access` with the broker's jars and the events classes:
//   java -cp "<kafka libs>/*:events/target/classes" KafkaSetup.java BOOTSTRAP SECRETS_DIR
import io.edgefleet.events.KafkaAccess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.TopicExistsException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

public class KafkaSetup {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        Path secrets = Path.of(args[1]);
        String admin = Files.readString(secrets.resolve("admin.password")).trim();
        try (Admin client = Admin.create(Map.of("bootstrap.servers", bootstrap, "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"" + admin + "\";"))) {
            for (String topic : KafkaAccess.TOPICS) {
                try {
                    client.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
                    System.out.println("kafka: topic " + topic + " created");
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            List<UserScramCredentialAlteration> users = new ArrayList<>();
            for (KafkaAccess access : KafkaAccess.PRINCIPALS) {
                String password = Files.readString(secrets.resolve(access.principal() + ".password")).trim();
                users.add(new UserScramCredentialUpsertion(access.principal(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password));
            }
            client.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
            client.createAcls(KafkaAccess.aclBindings()).all().get(30, TimeUnit.SECONDS);
            System.out.println("kafka: " + users.size() + " principals and " + KafkaAccess.aclBindings().size() + " ACLs in place");
        }
    }
}
